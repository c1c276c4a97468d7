import type { Chunk } from '../chunk/types.ts';
import type { Embedder } from '../embed/types.ts';
import type { VectorIndex } from '../store/types.ts';
import { assertK, type IndexProgress, type TimedRetriever, type TimedSearch } from './timing.ts';
import type { ScoredChunk } from './types.ts';

export interface DenseRetrieverOptions {
  /** Chunks per embedDocuments call (and per store upsert). */
  batchSize?: number;
  onProgress?: IndexProgress;
}

/**
 * The text that is embedded: whitespace runs collapsed, so the same passage read by two
 * extractors (different line breaks) has one embedding and one cache entry.
 */
export function embeddingText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * Embeds chunks into a vector store and answers queries by nearest neighbours. It owns the
 * store (close() closes it) but not the embedder, which a caller may share across runs.
 */
export class DenseRetriever implements TimedRetriever {
  readonly id = 'dense';
  private readonly chunks = new Map<string, Chunk>();
  private readonly batchSize: number;

  constructor(
    readonly embedder: Embedder,
    readonly store: VectorIndex,
    private readonly options: DenseRetrieverOptions = {},
  ) {
    if (embedder.dimensions !== store.dimensions) {
      throw new Error(
        `dense: embedder ${embedder.id} makes ${embedder.dimensions}-d vectors but store ${store.id} holds ${store.dimensions}`,
      );
    }
    this.batchSize = options.batchSize ?? 64;
  }

  async index(chunks: readonly Chunk[]): Promise<void> {
    for (let i = 0; i < chunks.length; i += this.batchSize) {
      const batch = chunks.slice(i, i + this.batchSize);
      const vectors = await this.embedder.embedDocuments(batch.map((c) => embeddingText(c.text)));
      await this.store.upsert(
        batch.map((c, j) => ({
          id: c.id,
          vector: vectors[j] as Float32Array,
          // The text travels with the vector, so a migration can copy or re-embed it from the store alone.
          metadata: { documentId: c.docId, page: c.page, pageEnd: c.pageEnd, charStart: c.charStart, charEnd: c.charEnd, text: c.text },
        })),
      );
      for (const c of batch) this.chunks.set(c.id, c);
      this.options.onProgress?.(i + batch.length, chunks.length);
    }
  }

  embedQuery(query: string): Promise<Float32Array> {
    return this.embedder.embedQuery(embeddingText(query));
  }

  /** Nearest chunks to a query vector; store records this retriever did not index are skipped. */
  async searchVector(vector: Float32Array, k: number): Promise<ScoredChunk[]> {
    assertK(this.id, k);
    const hits = await this.store.query(vector, k);
    const out: ScoredChunk[] = [];
    for (const h of hits) {
      const chunk = this.chunks.get(h.id);
      if (chunk) out.push({ chunk, score: h.score });
    }
    return out;
  }

  async searchTimed(query: string, k: number): Promise<TimedSearch> {
    assertK(this.id, k);
    const t0 = performance.now();
    const vector = await this.embedQuery(query);
    const t1 = performance.now();
    const chunks = await this.searchVector(vector, k);
    return { chunks, embedMs: t1 - t0, searchMs: performance.now() - t1 };
  }

  async search(query: string, k: number): Promise<ScoredChunk[]> {
    return (await this.searchTimed(query, k)).chunks;
  }

  async close(): Promise<void> {
    this.chunks.clear();
    await this.store.close();
  }
}
