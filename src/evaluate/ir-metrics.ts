/**
 * Retrieval metrics for one question, from its ranked hits judged against the question's
 * evidence passages. Relevance is binary and counted per passage: a hit gains only when it
 * covers an evidence passage that no better-ranked hit covered, so a passage split into three
 * chunks is not rewarded three times (and recall is "passages found", not "chunks found").
 */

export interface RankedJudgement {
  /** Indices of the question's evidence passages this hit covers (empty: not relevant). */
  covers: readonly number[];
}

export interface QuestionIrMetrics {
  hitAt1: number;
  recallAt5: number;
  recallAt10: number;
  mrrAt10: number;
  ndcgAt10: number;
}

/** Per rank (0-based), whether the hit covers a passage not covered by a better-ranked hit. */
function newCoverage(hits: readonly RankedJudgement[]): boolean[] {
  const seen = new Set<number>();
  return hits.map((h) => {
    const fresh = h.covers.filter((p) => !seen.has(p));
    for (const p of fresh) seen.add(p);
    return fresh.length > 0;
  });
}

/** Fraction of the evidence passages covered by the top `k` hits. */
export function recallAt(hits: readonly RankedJudgement[], passages: number, k: number): number {
  if (passages === 0) return 0;
  const covered = new Set<number>();
  for (const h of hits.slice(0, k)) for (const p of h.covers) covered.add(p);
  return covered.size / passages;
}

/** Reciprocal rank of the first relevant hit within the top `k`; 0 when none. */
export function reciprocalRank(hits: readonly RankedJudgement[], k: number): number {
  const i = hits.slice(0, k).findIndex((h) => h.covers.length > 0);
  return i < 0 ? 0 : 1 / (i + 1);
}

/** nDCG@k with binary gains for newly covered passages; the ideal ranks one passage per slot. */
export function ndcgAt(hits: readonly RankedJudgement[], passages: number, k: number): number {
  if (passages === 0) return 0;
  const gains = newCoverage(hits.slice(0, k));
  let dcg = 0;
  gains.forEach((g, i) => {
    if (g) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(passages, k); i++) ideal += 1 / Math.log2(i + 2);
  return dcg / ideal;
}

export function questionIrMetrics(hits: readonly RankedJudgement[], passages: number): QuestionIrMetrics {
  return {
    hitAt1: hits[0] !== undefined && hits[0].covers.length > 0 ? 1 : 0,
    recallAt5: recallAt(hits, passages, 5),
    recallAt10: recallAt(hits, passages, 10),
    mrrAt10: reciprocalRank(hits, 10),
    ndcgAt10: ndcgAt(hits, passages, 10),
  };
}
