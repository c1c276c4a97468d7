import type { VectorHit } from '../types.ts';

/** One backend's answer to a query, with the weight its vote carries. */
export interface Ballot {
  backend: string;
  weight: number;
  hits: readonly VectorHit[];
}

/**
 * Lower weighted median: the smallest value whose cumulative weight reaches half the total.
 * With one liar among three equal backends it is always one of the honest scores.
 */
export function weightedMedian(values: readonly { value: number; weight: number }[]): number {
  const sorted = [...values].sort((a, b) => a.value - b.value);
  const total = sorted.reduce((s, v) => s + v.weight, 0);
  let cumulative = 0;
  for (const v of sorted) {
    cumulative += v.weight;
    if (cumulative >= total / 2) return v.value;
  }
  throw new Error('weighted median of an empty sample');
}

/** A backend's first k distinct ids (a lying backend may repeat one). */
export function topIds(hits: readonly VectorHit[], k: number): string[] {
  return [...new Set(hits.map((h) => h.id))].slice(0, k);
}

/**
 * The merged top-k. Each backend votes with its weight for every id in its top k (presence,
 * not rank: a liar cannot buy a place with a high rank). The k ids with the most vote weight
 * are kept (ties: higher merged score, then id), then ordered best first by merged score: the
 * weighted median of the scores the backends that voted for the id reported.
 */
export function mergeBallots(ballots: readonly Ballot[], k: number): VectorHit[] {
  const votes = new Map<string, { weight: number; scores: { value: number; weight: number }[] }>();
  for (const ballot of ballots) {
    const scoreOf = new Map<string, number>();
    for (const h of ballot.hits) if (!scoreOf.has(h.id)) scoreOf.set(h.id, h.score);
    for (const id of topIds(ballot.hits, k)) {
      const v = votes.get(id) ?? { weight: 0, scores: [] };
      v.weight += ballot.weight;
      v.scores.push({ value: scoreOf.get(id) as number, weight: ballot.weight });
      votes.set(id, v);
    }
  }
  const byId = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  const candidates = [...votes].map(([id, v]) => ({ id, weight: v.weight, score: weightedMedian(v.scores) }));
  candidates.sort((a, b) => b.weight - a.weight || b.score - a.score || byId(a.id, b.id));
  return candidates
    .slice(0, k)
    .sort((a, b) => b.score - a.score || byId(a.id, b.id))
    .map(({ id, score }) => ({ id, score }));
}

/**
 * How much of the consensus a backend's top-k holds: |top-k ∩ consensus| / max(|top-k|, |consensus|),
 * 1 when both are empty. Set overlap: the order of the ids does not count (the merged order
 * comes from the median score, which one liar of three cannot move).
 */
export function overlap(hits: readonly VectorHit[], consensus: readonly VectorHit[], k: number): number {
  const mine = topIds(hits, k);
  const size = Math.max(mine.length, consensus.length);
  if (size === 0) return 1;
  const agreed = new Set(consensus.map((h) => h.id));
  return mine.filter((id) => agreed.has(id)).length / size;
}

/**
 * Whether ballots still to come (holding `remainingWeight` in all) can no longer change which
 * ids the merged top-k holds: every kept id leads every left-out id by more than that weight, so
 * no late vote can swap one in. A query can then answer without waiting for a slow backend.
 */
export function settled(ballots: readonly Ballot[], k: number, remainingWeight: number): boolean {
  if (remainingWeight <= 0) return true;
  const weight = new Map<string, number>();
  for (const b of ballots) for (const id of topIds(b.hits, k)) weight.set(id, (weight.get(id) ?? 0) + b.weight);
  const sorted = [...weight.values()].sort((a, b) => b - a);
  if (sorted.length < k) return false; // a late ballot could still add ids
  const lastKept = sorted[k - 1] as number;
  const firstLeftOut = sorted[k] ?? 0;
  return lastKept - firstLeftOut > remainingWeight;
}
