import { CachedEmbedder } from '../embed/cache.ts';
import type { Embedder } from '../embed/types.ts';

/** Presents an embedder's query embedding as a document embedder, so the disk cache can hold it. */
class QueryEmbeddingAsDocuments implements Embedder {
  readonly id: string;
  readonly dimensions: number;

  constructor(private readonly inner: Embedder) {
    // Queries may embed differently from documents (instruction prefixes): their own cache id.
    this.id = `${inner.id}#query`;
    this.dimensions = inner.dimensions;
  }

  async embedDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const t of texts) out.push(await this.inner.embedQuery(t));
    return out;
  }

  embedQuery(text: string): Promise<Float32Array> {
    return this.inner.embedQuery(text);
  }
}

/**
 * The embedder retrievers get in a suite run. Documents go through the disk cache. Queries
 * are cached too while scoring accuracy (thousands of questions, re-asked by every run), but
 * `uncached()` switches the cache off for the latency rounds, whose point is to time the model.
 */
export class SuiteEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  private readonly queries: CachedEmbedder;
  private bypass = false;

  constructor(
    readonly model: Embedder,
    readonly documents: CachedEmbedder,
    cacheDir: string,
  ) {
    this.id = model.id;
    this.dimensions = model.dimensions;
    this.queries = new CachedEmbedder(new QueryEmbeddingAsDocuments(model), { dir: cacheDir });
  }

  embedDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    return this.documents.embedDocuments(texts);
  }

  async embedQuery(text: string): Promise<Float32Array> {
    if (this.bypass) return this.model.embedQuery(text);
    const [v] = await this.queries.embedDocuments([text]);
    return v as Float32Array;
  }

  /** Embeds (or loads) many queries at once, ahead of the accuracy pass. */
  async warmQueries(texts: readonly string[]): Promise<void> {
    await this.queries.embedDocuments(texts);
  }

  close(): Promise<void> {
    return this.model.close?.() ?? Promise.resolve();
  }

  async uncached<T>(fn: () => Promise<T>): Promise<T> {
    this.bypass = true;
    try {
      return await fn();
    } finally {
      this.bypass = false;
    }
  }
}
