import type { Interval } from '../summary/schema.ts';
import type { Candidate } from './grid.ts';

/** A candidate after its run on the dev split. */
export interface ScoredCandidate extends Candidate {
  /** The objective on the dev split; null when the run failed or did not measure it. */
  score: number | null;
  /** Its 95 % bootstrap interval, when the run reported one. */
  interval?: Interval;
  /** The first tie-break. */
  ndcgAt10: number | null;
  /** Answerable dev questions scored. */
  questions: number;
  /** Why the run did not produce a score. */
  error?: string;
}

/**
 * The best candidate: highest objective, then highest nDCG@10, then the earliest in the grid
 * (a suite lists simpler values first). Failed candidates never win; null when all failed.
 */
export function chooseBest<T extends ScoredCandidate>(candidates: readonly T[]): T | null {
  let best: T | null = null;
  for (const c of candidates) {
    if (c.score === null) continue;
    if (best === null || better(c, best)) best = c;
  }
  return best;
}

function better(a: ScoredCandidate, b: ScoredCandidate): boolean {
  const score = (a.score ?? -Infinity) - (b.score ?? -Infinity);
  if (score !== 0) return score > 0;
  const ndcg = (a.ndcgAt10 ?? -Infinity) - (b.ndcgAt10 ?? -Infinity);
  if (ndcg !== 0 && !Number.isNaN(ndcg)) return ndcg > 0;
  return a.index < b.index;
}

/**
 * Candidates whose score lies inside the chosen one's interval (the chosen one included):
 * on this many questions the data cannot tell them apart from the winner.
 */
export function withinInterval(candidates: readonly ScoredCandidate[], best: ScoredCandidate): ScoredCandidate[] {
  if (!best.interval) return [best];
  const low = best.interval.low;
  return candidates.filter((c) => c.score !== null && c.score >= low);
}
