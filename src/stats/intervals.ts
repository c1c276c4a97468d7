import { auroc } from './auroc.ts';
import { bootstrapDistribution, percentileInterval, ratioOfSums, resolveSettings, type BootstrapSettings, type Estimate } from './bootstrap.ts';

/** Values that are numbers (nulls and non-finite values are questions the metric skips). */
export function present(values: readonly (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null && Number.isFinite(v));
}

/**
 * Percentile bootstrap interval of the mean of per-question values, nulls skipped (the metric
 * does not apply to those questions). Null when no value is present.
 */
export function meanInterval(values: readonly (number | null)[], settings: Partial<BootstrapSettings> = {}): Estimate | null {
  const s = resolveSettings(settings);
  const xs = Float64Array.from(present(values));
  if (xs.length === 0) return null;
  const mean = (idx: Int32Array): number => {
    let sum = 0;
    for (const i of idx) sum += xs[i] as number;
    return sum / idx.length;
  };
  const all = Int32Array.from(xs.keys());
  const dist = bootstrapDistribution(xs.length, mean, s);
  return { estimate: mean(all), ...percentileInterval(dist, s.confidence) };
}

/**
 * Interval of a ratio of sums, Σ numerators / Σ denominators, resampling questions (pairs):
 * e.g. citationFaithfulness = Σ citationsVerified / Σ citations. Questions where either is
 * null are skipped; null when the denominators sum to 0. A resample whose denominators sum to
 * 0 counts as 0, as the metric itself does.
 */
export function ratioInterval(
  numerators: readonly (number | null)[],
  denominators: readonly (number | null)[],
  settings: Partial<BootstrapSettings> = {},
): Estimate | null {
  if (numerators.length !== denominators.length) throw new Error(`ratioInterval: ${numerators.length} numerators for ${denominators.length} denominators`);
  const s = resolveSettings(settings);
  const num: number[] = [];
  const den: number[] = [];
  numerators.forEach((x, i) => {
    const d = denominators[i];
    if (x === null || d === null || d === undefined || !Number.isFinite(x) || !Number.isFinite(d)) return;
    num.push(x);
    den.push(d);
  });
  const ratio = (idx: Int32Array): number => ratioOfSums(num, den, idx);
  const all = Int32Array.from(num.keys());
  if (num.length === 0 || den.reduce((a, b) => a + b, 0) === 0) return null;
  const dist = bootstrapDistribution(num.length, ratio, s);
  return { estimate: ratio(all), ...percentileInterval(dist, s.confidence) };
}

/**
 * Interval of the AUROC of `scores` as a detector of `positives`, by a bootstrap stratified by
 * class (each resample keeps the numbers of positives and negatives, as pROC's default
 * does), so no resample loses a class. Null when either class is empty.
 */
export function aurocInterval(scores: readonly number[], positives: readonly boolean[], settings: Partial<BootstrapSettings> = {}): Estimate | null {
  const s = resolveSettings(settings);
  const estimate = auroc(scores, positives);
  if (estimate === null) return null;
  const sc = new Array<number>(scores.length);
  const pos = new Array<boolean>(scores.length);
  const statistic = (idx: Int32Array): number => {
    idx.forEach((i, j) => {
      sc[j] = scores[i] as number;
      pos[j] = positives[i] as boolean;
    });
    return auroc(sc, pos) as number;
  };
  const dist = bootstrapDistribution(scores.length, statistic, s, positives);
  return { estimate, ...percentileInterval(dist, s.confidence) };
}
