import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CacheAppender, loadCacheFile, type CacheEntry } from './cache-file.ts';
import type { Embedder } from './types.ts';

export const DEFAULT_CACHE_DIR = '.cache/embeddings';

export interface CachedEmbedderOptions {
  /** Directory of the cache files (created on first write). Default `.cache/embeddings`. */
  dir?: string;
}

/** What the runner reports: embeddings/s = misses / modelSeconds. */
export interface EmbeddingCacheStats {
  /** Texts served from the cache (including repeats within one call). */
  hits: number;
  /** Texts the model embedded. */
  misses: number;
  /** Wall time spent inside the wrapped model's embedDocuments. */
  modelSeconds: number;
  /** Bytes of the cache file that held no valid record (torn writes): informative only. */
  skippedBytes: number;
}

/** sha256(model id, NUL, text): the NUL keeps ("ab", "c") and ("a", "bc") apart. */
export function cacheKey(modelId: string, text: string): Buffer {
  return createHash('sha256').update(modelId).update('\0').update(text).digest();
}

/** File name for a model id: readable, and distinct ids never share a file. */
export function cacheFileName(modelId: string): string {
  const safe = modelId.replace(/[^A-Za-z0-9._-]/g, '_');
  const suffix = safe === modelId ? '' : `-${createHash('sha256').update(modelId).digest('hex').slice(0, 8)}`;
  return `${safe}${suffix}.embeddings`;
}

/**
 * Wraps an Embedder with a persistent cache of document embeddings, keyed by model id and
 * exact text. Queries are not cached: their latency is what a benchmark measures.
 */
export class CachedEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly file: string;
  private readonly dir: string;
  private entries: Promise<Map<string, Float32Array>> | undefined;
  private readonly appender: CacheAppender;
  /** Serialises appends so one batch is one contiguous write. */
  private writes: Promise<void> = Promise.resolve();
  private readonly counters: EmbeddingCacheStats = { hits: 0, misses: 0, modelSeconds: 0, skippedBytes: 0 };

  constructor(
    readonly inner: Embedder,
    options: CachedEmbedderOptions = {},
  ) {
    this.id = inner.id;
    this.dimensions = inner.dimensions;
    this.dir = resolve(options.dir ?? DEFAULT_CACHE_DIR);
    this.file = join(this.dir, cacheFileName(inner.id));
    this.appender = new CacheAppender(this.file);
  }

  stats(): EmbeddingCacheStats {
    return { ...this.counters };
  }

  private load(): Promise<Map<string, Float32Array>> {
    this.entries ??= loadCacheFile(this.file, this.dimensions).then((r) => {
      this.counters.skippedBytes = r.skippedBytes;
      return r.entries;
    });
    return this.entries;
  }

  async embedDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    const entries = await this.load();
    const keys = texts.map((t) => cacheKey(this.id, t));
    const hex = keys.map((k) => k.toString('hex'));
    // Unique missing texts, in first-seen order.
    const missing = new Map<string, number>();
    hex.forEach((h, i) => {
      if (!entries.has(h) && !missing.has(h)) missing.set(h, i);
    });
    if (missing.size > 0) {
      const indices = [...missing.values()];
      const started = performance.now();
      const vectors = await this.inner.embedDocuments(indices.map((i) => texts[i] as string));
      this.counters.modelSeconds += (performance.now() - started) / 1000;
      if (vectors.length !== indices.length) {
        throw new Error(`${this.id}: embedder returned ${vectors.length} vectors for ${indices.length} texts`);
      }
      const wrong = vectors.find((v) => v.length !== this.dimensions);
      if (wrong) throw new Error(`${this.id}: embedder returned a ${wrong.length}-d vector, it declares ${this.dimensions}`);
      const fresh: CacheEntry[] = indices.map((textIndex, j) => ({
        key: keys[textIndex] as Buffer,
        vector: vectors[j] as Float32Array,
      }));
      for (const e of fresh) entries.set(e.key.toString('hex'), e.vector);
      this.counters.misses += fresh.length;
      await this.persist(fresh);
    }
    this.counters.hits += texts.length - missing.size;
    // Copies, so a caller that mutates a vector cannot corrupt the cache.
    return hex.map((h) => Float32Array.from(entries.get(h) as Float32Array));
  }

  private persist(fresh: readonly CacheEntry[]): Promise<void> {
    const write = this.writes.then(async () => {
      await mkdir(this.dir, { recursive: true });
      await this.appender.append(fresh);
    });
    // A failed write must not block later ones; the caller still sees this failure.
    this.writes = write.catch(() => undefined);
    return write;
  }

  embedQuery(text: string): Promise<Float32Array> {
    return this.inner.embedQuery(text);
  }

  async close(): Promise<void> {
    await this.writes;
    await this.inner.close?.();
  }
}
