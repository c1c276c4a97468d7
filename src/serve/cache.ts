import { LRUCache } from 'lru-cache';

export interface QueryCacheOptions {
  /** Byte budget (sum of entry sizes); 0: nothing is ever stored. */
  maxBytes: number;
  ttlMs: number;
  /** Only values computed faster than this are stored. */
  cacheableUnderMs: number;
}

/** What the cache tells the service's metrics, as it happens. */
export interface CacheObserver {
  hit?(): void;
  miss?(): void;
  /** Dropped to make room (the byte budget), not expired or cleared. */
  evicted?(): void;
  expired?(): void;
  /** A computed value too slow to be kept. */
  notCacheable?(): void;
}

/** A cached value with its size in bytes (what the byte budget counts). */
export interface Sized {
  bytes: number;
}

export interface Lookup<V> {
  value: V;
  status: 'hit' | 'miss';
  /** A miss that waited for an identical query already being computed (single flight). */
  joined: boolean;
}

export interface CacheFigures {
  entries: number;
  bytes: number;
  maxBytes: number;
  ttlMs: number;
  cacheableUnderMs: number;
  /** Lifetime counts (GET /stats has them since its last reset too). */
  hits: number;
  misses: number;
  evictions: number;
  expirations: number;
  invalidations: number;
  notCacheable: number;
  computing: number;
}

/**
 * Whitespace runs collapsed, Unicode NFKC, trimmed: variants that the pipeline answers
 * identically share an entry (embedding and BM25 both ignore these differences). Case is
 * kept: the embedding model sees it, so "US" and "us" may rank differently.
 */
export function normalizeQuestion(question: string): string {
  return question.normalize('NFKC').replace(/\s+/g, ' ').trim();
}

/**
 * Query results in an LRU with a byte budget and a TTL (lru-cache maxSize + sizeCalculation +
 * ttl). Concurrent misses of one key compute once (single flight). A value is stored only when
 * it was computed in under `cacheableUnderMs` and no `clear()` (a re-ingest) happened meanwhile.
 */
export class QueryCache<V extends Sized> {
  private readonly lru: LRUCache<string, V> | undefined;
  private readonly inflight = new Map<string, Promise<V>>();
  /** Bumped by clear(): a computation that started before it must not store its now stale value. */
  private epoch = 0;
  private readonly counts = { hits: 0, misses: 0, evictions: 0, expirations: 0, invalidations: 0, notCacheable: 0 };

  constructor(
    readonly options: QueryCacheOptions,
    private readonly observer: CacheObserver = {},
  ) {
    if (options.maxBytes > 0) {
      this.lru = new LRUCache<string, V>({
        maxSize: options.maxBytes,
        sizeCalculation: (v) => Math.max(1, v.bytes),
        ttl: options.ttlMs,
        updateAgeOnGet: false,
        dispose: (_value, _key, reason) => {
          if (reason === 'evict') {
            this.counts.evictions++;
            this.observer.evicted?.();
          } else if (reason === 'expire') {
            this.counts.expirations++;
            this.observer.expired?.();
          }
        },
      });
    }
  }

  /** False when the byte budget is 0: every query is a bypass. */
  get enabled(): boolean {
    return this.lru !== undefined;
  }

  /**
   * The cached value, or the one `compute` makes (shared with every concurrent caller of the
   * same key). `compute` reports how long the work itself took, which decides whether it is kept.
   */
  async getOrCompute(key: string, compute: () => Promise<{ value: V; computeMs: number }>): Promise<Lookup<V>> {
    const cached = this.lru?.get(key);
    if (cached !== undefined) {
      this.counts.hits++;
      this.observer.hit?.();
      return { value: cached, status: 'hit', joined: false };
    }
    this.counts.misses++;
    this.observer.miss?.();
    const running = this.inflight.get(key);
    if (running) return { value: await running, status: 'miss', joined: true };
    const epoch = this.epoch;
    const work = compute().then(({ value, computeMs }) => {
      if (computeMs >= this.options.cacheableUnderMs) {
        this.counts.notCacheable++;
        this.observer.notCacheable?.();
      } else if (epoch === this.epoch) {
        this.lru?.set(key, value);
      }
      return value;
    });
    this.inflight.set(key, work);
    try {
      return { value: await work, status: 'miss', joined: false };
    } finally {
      this.inflight.delete(key);
    }
  }

  /** Drops every entry (the index changed); computations under way will not store theirs. */
  clear(): void {
    this.epoch++;
    this.counts.invalidations++;
    this.lru?.clear();
  }

  figures(): CacheFigures {
    return {
      entries: this.lru?.size ?? 0,
      bytes: this.lru?.calculatedSize ?? 0,
      maxBytes: this.options.maxBytes,
      ttlMs: this.options.ttlMs,
      cacheableUnderMs: this.options.cacheableUnderMs,
      ...this.counts,
      computing: this.inflight.size,
    };
  }
}
