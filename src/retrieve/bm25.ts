import winkBm25 from 'wink-bm25-text-search';
import type { Chunk } from '../chunk/types.ts';
import { byScoreThenId } from './fusion.ts';
import { assertK, type TimedRetriever, type TimedSearch } from './timing.ts';
import { lexicalTerms } from './tokenize.ts';
import type { ScoredChunk } from './types.ts';

export interface Bm25Options {
  /** Term-frequency saturation, >= 0 (default 1.2). */
  k1?: number;
  /** Length normalisation, 0..1 (default 0.75). */
  b?: number;
}

export interface Bm25Params {
  k1: number;
  b: number;
}

export function resolveBm25Options(options: Bm25Options = {}): Bm25Params {
  const k1 = options.k1 ?? 1.2;
  const b = options.b ?? 0.75;
  // wink silently replaces out-of-range values with its defaults; refuse them instead.
  if (!Number.isFinite(k1) || k1 < 0) throw new Error(`bm25: k1 must be a number >= 0, got ${k1}`);
  if (!Number.isFinite(b) || b < 0 || b > 1) throw new Error(`bm25: b must be a number in [0, 1], got ${b}`);
  return { k1, b };
}

/** wink refuses to consolidate fewer documents; empty padding documents never match. */
const MIN_DOCUMENTS = 3;
const PADDING_PREFIX = '\u0000bm25-padding-';
const FIELD = 'body';

/**
 * Okapi BM25 (wink-bm25-text-search, idf = ln(1 + (N - n + 0.5) / (n + 0.5))) over
 * `lexicalTerms`. Chunks may be indexed in several calls; each call rebuilds the (immutable)
 * wink index from the cached terms, so no search pays for a build.
 */
export class Bm25Retriever implements TimedRetriever {
  readonly id = 'bm25';
  readonly params: Bm25Params;
  private readonly chunks = new Map<string, Chunk>();
  /** Space-joined terms per chunk id: tokenised once, reused by every rebuild. */
  private readonly terms = new Map<string, string>();
  private engine: ReturnType<typeof winkBm25> | undefined;


  constructor(options: Bm25Options = {}) {
    this.params = resolveBm25Options(options);
  }

  async index(chunks: readonly Chunk[]): Promise<void> {
    for (const c of chunks) {
      this.chunks.set(c.id, c);
      this.terms.set(c.id, lexicalTerms(c.text).join(' '));
    }
    this.engine = this.chunks.size > 0 ? this.build() : undefined;
  }

  private build(): ReturnType<typeof winkBm25> {
    const engine = winkBm25();
    engine.defineConfig({ fldWeights: { [FIELD]: 1 }, bm25Params: { ...this.params, k: 1 } });
    // Documents and queries arrive already tokenised (terms never contain spaces).
    engine.definePrepTasks([(s) => (s.length === 0 ? [] : s.split(' '))]);
    for (const [id, terms] of this.terms) engine.addDoc({ [FIELD]: terms }, id);
    for (let i = this.terms.size; i < MIN_DOCUMENTS; i++) engine.addDoc({ [FIELD]: '' }, `${PADDING_PREFIX}${i}`);
    engine.consolidate(9);
    return engine;
  }

  async searchTimed(query: string, k: number): Promise<TimedSearch> {
    assertK(this.id, k);
    const t0 = performance.now();
    if (!this.engine) return { chunks: [], embedMs: 0, searchMs: performance.now() - t0 };
    const matches = this.engine
      .search(lexicalTerms(query).join(' '), this.terms.size)
      .map(([id, score]) => ({ id, score }))
      .sort(byScoreThenId);
    const chunks: ScoredChunk[] = [];
    for (const { id, score } of matches.slice(0, k)) {
      const chunk = this.chunks.get(id);
      if (chunk) chunks.push({ chunk, score });
    }
    return { chunks, embedMs: 0, searchMs: performance.now() - t0 };
  }

  async search(query: string, k: number): Promise<ScoredChunk[]> {
    return (await this.searchTimed(query, k)).chunks;
  }

  async close(): Promise<void> {
    this.chunks.clear();
    this.terms.clear();
    this.engine = undefined;
  }
}
