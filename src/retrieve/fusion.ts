/** Rank fusion of several result lists for one query (pure functions). */

export interface FusedHit {
  id: string;
  score: number;
}

/** A ranking, best first, and how much it counts in the fusion. */
export interface RankedList {
  ids: readonly string[];
  weight: number;
}

/** A scored result list, best first, and how much it counts in the fusion. */
export interface ScoredList {
  hits: readonly FusedHit[];
  weight: number;
}

export const DEFAULT_RRF_K = 60;

/** Best first; ties by id, so equal scores come out in the same order on every run. */
export function byScoreThenId(a: FusedHit, b: FusedHit): number {
  return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function sorted(scores: Map<string, number>): FusedHit[] {
  return [...scores].map(([id, score]) => ({ id, score })).sort(byScoreThenId);
}

/**
 * Weighted reciprocal rank fusion (Cormack et al. 2009): score(d) = sum_i w_i / (k + rank_i(d)),
 * ranks 1-based; a list that does not contain d adds nothing. Only ranks count, so lists
 * with incomparable scores (BM25, cosine) fuse without calibration.
 */
export function reciprocalRankFusion(lists: readonly RankedList[], k = DEFAULT_RRF_K): FusedHit[] {
  if (!(k >= 0)) throw new Error(`rrf: k must be >= 0, got ${k}`);
  const scores = new Map<string, number>();
  for (const { ids, weight } of lists) {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      // A repeated id keeps its best (first) rank.
      if (seen.has(id)) return;
      seen.add(id);
      scores.set(id, (scores.get(id) ?? 0) + weight / (k + i + 1));
    });
  }
  return sorted(scores);
}

/** The dense and BM25 weights of a convex combination: numbers >= 0, not both 0 (the fused score divides by their sum). */
export function assertFusionWeights(retriever: string, w: { denseWeight: number; bm25Weight: number }): void {
  for (const name of ['denseWeight', 'bm25Weight'] as const) {
    if (!Number.isFinite(w[name]) || w[name] < 0) throw new Error(`${retriever}: ${name} must be a number >= 0, got ${w[name]}`);
  }
  if (w.denseWeight + w.bm25Weight === 0) throw new Error(`${retriever}: denseWeight and bm25Weight cannot both be 0`);
}

/**
 * Convex combination of min-max normalised scores: each list is scaled to [0, 1] (a list whose
 * scores are all equal scales to 1), then score(d) = sum_i w_i * norm_i(d) / sum_i w_i, with 0
 * for a list that does not contain d.
 */
export function convexCombination(lists: readonly ScoredList[]): FusedHit[] {
  const totalWeight = lists.reduce((s, l) => s + l.weight, 0);
  if (!(totalWeight > 0)) throw new Error('convex fusion: the weights must sum to more than 0');
  const scores = new Map<string, number>();
  for (const { hits, weight } of lists) {
    if (hits.length === 0) continue;
    const values = hits.map((h) => h.score);
    const min = Math.min(...values);
    const range = Math.max(...values) - min;
    const seen = new Set<string>();
    for (const h of hits) {
      if (seen.has(h.id)) continue;
      seen.add(h.id);
      const norm = range > 0 ? (h.score - min) / range : 1;
      scores.set(h.id, (scores.get(h.id) ?? 0) + (weight * norm) / totalWeight);
    }
  }
  return sorted(scores);
}
