/** Dense text embedder (the LangChain.js shape). Vectors are L2-normalised. */
export interface Embedder {
  /** Model id, part of the embedding cache key, e.g. "use-lite". */
  readonly id: string;
  readonly dimensions: number;
  embedDocuments(texts: readonly string[]): Promise<Float32Array[]>;
  embedQuery(text: string): Promise<Float32Array>;
  close?(): Promise<void>;
}
