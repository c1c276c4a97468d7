import type { Chunk } from '../chunk/types.ts';
import type { Embedder } from '../embed/types.ts';
import type { VectorIndex } from '../store/types.ts';
import { Bm25Retriever, type Bm25Options } from './bm25.ts';
import { DenseRetriever, type DenseRetrieverOptions } from './dense.ts';
import { assertFusionWeights, convexCombination, DEFAULT_RRF_K, reciprocalRankFusion, type FusedHit } from './fusion.ts';
import { assertK, type TimedRetriever, type TimedSearch } from './timing.ts';
import type { ScoredChunk } from './types.ts';

export type FusionMethod = 'rrf' | 'convex';

export interface HybridOptions {
  /** Weighted reciprocal rank fusion (default) or a convex combination of min-max normalised scores. */
  fusion?: FusionMethod;
  /** Weight of the dense ranking (default 1). */
  denseWeight?: number;
  /** Weight of the BM25 ranking (default 1). */
  bm25Weight?: number;
  /** RRF's k (default 60). */
  rrfK?: number;
  /** Results taken from each retriever before fusing (default 50, at least k). */
  candidates?: number;
  bm25?: Bm25Options;
  dense?: DenseRetrieverOptions;
}

export interface HybridParams {
  fusion: FusionMethod;
  denseWeight: number;
  bm25Weight: number;
  rrfK: number;
  candidates: number;
}

export function resolveHybridOptions(options: HybridOptions = {}): HybridParams {
  const p: HybridParams = {
    fusion: options.fusion ?? 'rrf',
    denseWeight: options.denseWeight ?? 1,
    bm25Weight: options.bm25Weight ?? 1,
    rrfK: options.rrfK ?? DEFAULT_RRF_K,
    candidates: options.candidates ?? 50,
  };
  if (p.fusion !== 'rrf' && p.fusion !== 'convex') throw new Error(`hybrid: fusion must be "rrf" or "convex", got "${p.fusion}"`);
  assertFusionWeights('hybrid', p);
  if (!Number.isFinite(p.rrfK) || p.rrfK < 0) throw new Error(`hybrid: rrfK must be a number >= 0, got ${p.rrfK}`);
  if (!Number.isInteger(p.candidates) || p.candidates < 1) {
    throw new Error(`hybrid: candidates must be a positive integer, got ${p.candidates}`);
  }
  return p;
}

/** BM25 and dense retrieval over the same chunks, fused into one ranking. Owns the store. */
export class HybridRetriever implements TimedRetriever {
  readonly id = 'hybrid';
  readonly params: HybridParams;
  readonly dense: DenseRetriever;
  readonly bm25: Bm25Retriever;

  constructor(embedder: Embedder, store: VectorIndex, options: HybridOptions = {}) {
    this.params = resolveHybridOptions(options);
    this.dense = new DenseRetriever(embedder, store, options.dense);
    this.bm25 = new Bm25Retriever(options.bm25);
  }

  async index(chunks: readonly Chunk[]): Promise<void> {
    await this.bm25.index(chunks);
    await this.dense.index(chunks);
  }

  async searchTimed(query: string, k: number): Promise<TimedSearch> {
    assertK(this.id, k);
    const depth = Math.max(k, this.params.candidates);
    const t0 = performance.now();
    const vector = await this.dense.embedQuery(query);
    const t1 = performance.now();
    const [denseHits, lexical] = [await this.dense.searchVector(vector, depth), await this.bm25.search(query, depth)];
    const chunks = this.fuse(denseHits, lexical).slice(0, k);
    return { chunks, embedMs: t1 - t0, searchMs: performance.now() - t1 };
  }

  private fuse(denseHits: readonly ScoredChunk[], lexical: readonly ScoredChunk[]): ScoredChunk[] {
    const byId = new Map<string, Chunk>();
    for (const s of [...denseHits, ...lexical]) byId.set(s.chunk.id, s.chunk);
    const { fusion, denseWeight, bm25Weight, rrfK } = this.params;
    const asHits = (list: readonly ScoredChunk[]): FusedHit[] => list.map((s) => ({ id: s.chunk.id, score: s.score }));
    const fused =
      fusion === 'rrf'
        ? reciprocalRankFusion(
            [
              { ids: denseHits.map((s) => s.chunk.id), weight: denseWeight },
              { ids: lexical.map((s) => s.chunk.id), weight: bm25Weight },
            ],
            rrfK,
          )
        : convexCombination([
            { hits: asHits(denseHits), weight: denseWeight },
            { hits: asHits(lexical), weight: bm25Weight },
          ]);
    return fused.map((h) => ({ chunk: byId.get(h.id) as Chunk, score: h.score }));
  }

  async search(query: string, k: number): Promise<ScoredChunk[]> {
    return (await this.searchTimed(query, k)).chunks;
  }

  async close(): Promise<void> {
    await this.bm25.close();
    await this.dense.close();
  }
}
