import { LRUCache } from 'lru-cache';
import type { Embedder } from '../embed/types.ts';

/**
 * An embedder whose query vectors are kept in memory (an LRU by count). Document embeddings
 * pass through to the wrapped (disk-cached) embedder. Concurrent embeds of one text run once.
 */
export class QueryVectorCache implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  private readonly lru: LRUCache<string, Float32Array> | undefined;
  private readonly inflight = new Map<string, Promise<Float32Array>>();
  hits = 0;
  misses = 0;

  constructor(
    readonly inner: Embedder,
    maxEntries: number,
  ) {
    this.id = inner.id;
    this.dimensions = inner.dimensions;
    if (maxEntries > 0) this.lru = new LRUCache({ max: maxEntries });
  }

  embedDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    return this.inner.embedDocuments(texts);
  }

  async embedQuery(text: string): Promise<Float32Array> {
    if (!this.lru) return this.inner.embedQuery(text);
    const cached = this.lru.get(text);
    if (cached) {
      this.hits++;
      return Float32Array.from(cached); // a copy: a caller may not corrupt the cache
    }
    this.misses++;
    let running = this.inflight.get(text);
    if (!running) {
      running = this.inner.embedQuery(text).finally(() => this.inflight.delete(text));
      this.inflight.set(text, running);
    }
    const vector = await running;
    this.lru.set(text, vector);
    return Float32Array.from(vector);
  }

  get size(): number {
    return this.lru?.size ?? 0;
  }

  close(): Promise<void> {
    return this.inner.close?.() ?? Promise.resolve();
  }
}
