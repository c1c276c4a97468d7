/** One cumulative bucket: observations ≤ `le` (the last one is `le: Infinity`, the total). */
export interface Bucket {
  le: number;
  count: number;
}

/**
 * The q-quantile of a histogram's cumulative buckets, as Prometheus' `histogram_quantile` computes
 * it: find the bucket holding rank q·total, then interpolate linearly inside it (lower bound 0
 * for the first bucket), assuming observations spread evenly within a bucket. A quantile in the
 * +Inf bucket answers the largest finite bound. Null without observations.
 *
 * Resolution caveat: the answer is only as fine as the buckets. With the service's bounds
 * (…, 0.25, 0.5, 1, 2, 5 s), a true p95 of 0.4 s reads anywhere in (0.25, 0.5] depending on how
 * the bucket's observations fall; a threshold should sit on or near a bucket bound.
 */
export function histogramQuantile(q: number, buckets: readonly Bucket[]): number | null {
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile must be in [0, 1], got ${q}`);
  const sorted = [...buckets].sort((a, b) => a.le - b.le);
  const last = sorted[sorted.length - 1];
  if (!last || last.le !== Infinity) throw new Error('histogram without a +Inf bucket');
  const total = last.count;
  if (!(total > 0)) return null;
  const rank = q * total;
  let below = 0;
  let lower = 0;
  for (const [i, b] of sorted.entries()) {
    if (b.count >= rank) {
      if (b.le === Infinity) return i > 0 ? (sorted[i - 1] as Bucket).le : null;
      if (i === 0 && b.le <= 0) return b.le;
      const inBucket = b.count - below;
      return inBucket > 0 ? lower + (b.le - lower) * ((rank - below) / inBucket) : lower;
    }
    below = b.count;
    lower = b.le;
  }
  return null;
}
