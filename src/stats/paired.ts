import { auroc } from './auroc.ts';
import {
  bootstrapDistribution,
  bootstrapPValue,
  percentileInterval,
  ratioOfSums,
  resolveSettings,
  type BootstrapSettings,
  type TestedEstimate,
} from './bootstrap.ts';

/**
 * Paired bootstrap: resample questions (the same indices for both runs) and take the
 * difference `statistic(second) − statistic(first)` on each resample. Interval of that
 * difference, and the two-sided p-value of "no difference".
 */
export function pairedBootstrap(
  n: number,
  difference: (indices: Int32Array) => number,
  settings: Partial<BootstrapSettings> = {},
  strata?: readonly boolean[],
): TestedEstimate {
  const s = resolveSettings(settings);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const estimate = difference(all);
  const dist = bootstrapDistribution(n, difference, s, strata);
  const pValue = bootstrapPValue(dist, 0);
  return { estimate, ...percentileInterval(dist, s.confidence), pValue };
}

/** Index pairs where both arrays have a finite value. */
function bothPresent(first: readonly (number | null)[], second: readonly (number | null)[]): { a: Float64Array; b: Float64Array } {
  if (first.length !== second.length) throw new Error(`paired: ${first.length} values vs ${second.length}`);
  const a: number[] = [];
  const b: number[] = [];
  first.forEach((x, i) => {
    const y = second[i];
    if (x === null || y === null || y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) return;
    a.push(x);
    b.push(y);
  });
  return { a: Float64Array.from(a), b: Float64Array.from(b) };
}

export interface PairedMeans extends TestedEstimate {
  /** Pairs where both runs have a value; the means over them. */
  pairs: number;
  firstMean: number;
  secondMean: number;
}

/**
 * Paired bootstrap of the difference of two runs' means (second − first) over the questions
 * both scored (nulls on either side skipped). Null when no question has both values.
 */
export function pairedMeanDifference(
  first: readonly (number | null)[],
  second: readonly (number | null)[],
  settings: Partial<BootstrapSettings> = {},
): PairedMeans | null {
  const { a, b } = bothPresent(first, second);
  if (a.length === 0) return null;
  const d = a.map((x, i) => (b[i] as number) - x);
  const meanDiff = (idx: Int32Array): number => {
    let s = 0;
    for (const i of idx) s += d[i] as number;
    return s / idx.length;
  };
  const mean = (xs: Float64Array): number => xs.reduce((p, x) => p + x, 0) / xs.length;
  return { ...pairedBootstrap(a.length, meanDiff, settings), pairs: a.length, firstMean: mean(a), secondMean: mean(b) };
}

/**
 * Paired bootstrap of the difference of two ratios of sums (Σ num / Σ den of the second run
 * minus the first's), resampling questions: for citationFaithfulness.
 */
export function pairedRatioDifference(
  first: { numerators: readonly (number | null)[]; denominators: readonly (number | null)[] },
  second: { numerators: readonly (number | null)[]; denominators: readonly (number | null)[] },
  settings: Partial<BootstrapSettings> = {},
): (TestedEstimate & { pairs: number; firstValue: number; secondValue: number }) | null {
  const n = first.numerators.length;
  const cols = [first.numerators, first.denominators, second.numerators, second.denominators];
  if (cols.some((c) => c.length !== n)) throw new Error('pairedRatioDifference: arrays of different lengths');
  const keep = Array.from({ length: n }, (_, i) => i).filter((i) => cols.every((c) => c[i] !== null && Number.isFinite(c[i])));
  if (keep.length === 0) return null;
  const [an, ad, bn, bd] = cols.map((c) => Float64Array.from(keep, (i) => c[i] as number)) as [Float64Array, Float64Array, Float64Array, Float64Array];
  const ratio = ratioOfSums;
  const all = Int32Array.from(keep.keys());
  const diff = (idx: Int32Array): number => ratio(bn, bd, idx) - ratio(an, ad, idx);
  return { ...pairedBootstrap(keep.length, diff, settings), pairs: keep.length, firstValue: ratio(an, ad, all), secondValue: ratio(bn, bd, all) };
}

/**
 * Paired bootstrap of the difference of two AUROCs on the same questions (second − first),
 * stratified by class so both classes stay in every resample. Null when a class is empty.
 */
export function pairedAurocDifference(
  firstScores: readonly number[],
  secondScores: readonly number[],
  positives: readonly boolean[],
  settings: Partial<BootstrapSettings> = {},
): (TestedEstimate & { firstValue: number; secondValue: number }) | null {
  const a0 = auroc(firstScores, positives);
  const b0 = auroc(secondScores, positives);
  if (a0 === null || b0 === null) return null;
  const n = positives.length;
  const xa = new Array<number>(n);
  const xb = new Array<number>(n);
  const p = new Array<boolean>(n);
  const diff = (idx: Int32Array): number => {
    idx.forEach((i, j) => {
      xa[j] = firstScores[i] as number;
      xb[j] = secondScores[i] as number;
      p[j] = positives[i] as boolean;
    });
    return (auroc(xb, p) as number) - (auroc(xa, p) as number);
  };
  return { ...pairedBootstrap(n, diff, settings, positives), firstValue: a0, secondValue: b0 };
}
