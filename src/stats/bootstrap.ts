import { randomIndex, seededRandom } from './random.ts';
import { quantileSorted } from './quantile.ts';

/** How a bootstrap is run; every interval in a summary records these. */
export interface BootstrapSettings {
  /** Two-sided coverage of the interval, e.g. 0.95. */
  confidence: number;
  resamples: number;
  seed: number;
}

export const DEFAULT_BOOTSTRAP: Readonly<BootstrapSettings> = { confidence: 0.95, resamples: 2000, seed: 20260101 };

export const BOOTSTRAP_METHOD = 'percentile bootstrap over questions';

/** A point estimate and its percentile-bootstrap interval. */
export interface Estimate {
  estimate: number;
  low: number;
  high: number;
}

/** An estimate of a difference or ratio, with the two-sided p-value of "no change". */
export interface TestedEstimate extends Estimate {
  pValue: number;
}

export function resolveSettings(settings: Partial<BootstrapSettings> = {}): BootstrapSettings {
  const s = { ...DEFAULT_BOOTSTRAP, ...settings };
  if (!(s.confidence > 0 && s.confidence < 1)) throw new Error(`bootstrap: confidence must be in (0, 1), got ${s.confidence}`);
  if (!Number.isInteger(s.resamples) || s.resamples < 1) throw new Error(`bootstrap: resamples must be a positive integer, got ${s.resamples}`);
  return s;
}

/** Percentile interval of a bootstrap distribution (sorted in place). */
export function percentileInterval(distribution: Float64Array, confidence: number): { low: number; high: number } {
  distribution.sort();
  const tail = (1 - confidence) / 2;
  return { low: quantileSorted(distribution, tail), high: quantileSorted(distribution, 1 - tail) };
}

/**
 * Two-sided bootstrap p-value of "the statistic equals `nullValue`": twice the share of the
 * distribution on the far side of it (values equal to it count half), with the +1 correction
 * of Davison & Hinkley (1997, eq. 4.11) so a finite resample never claims p = 0. It agrees
 * with the percentile interval: p < 1 − confidence about when the interval excludes the null.
 */
export function bootstrapPValue(distribution: Float64Array, nullValue: number): number {
  let below = 0;
  let above = 0;
  for (const x of distribution) {
    if (x < nullValue) below++;
    else if (x > nullValue) above++;
    else {
      below += 0.5;
      above += 0.5;
    }
  }
  return Math.min(1, (2 * Math.min(below, above) + 1) / (distribution.length + 1));
}

/** Fills `into` with n indices drawn with replacement from `from` (or from 0..n-1). */
export function drawIndices(random: () => number, into: Int32Array, from?: Int32Array): void {
  const n = from ? from.length : into.length;
  for (let i = 0; i < into.length; i++) {
    const j = randomIndex(random, n);
    into[i] = from ? (from[j] as number) : j;
  }
}

/**
 * The bootstrap distribution of `statistic` over resamples of n items (indices drawn with
 * replacement). With `strata`, each stratum is resampled within itself, keeping its size:
 * used for AUROC, whose two classes must both be present.
 */
export function bootstrapDistribution(
  n: number,
  statistic: (indices: Int32Array) => number,
  settings: BootstrapSettings,
  strata?: readonly boolean[],
): Float64Array {
  const random = seededRandom(settings.seed);
  const out = new Float64Array(settings.resamples);
  const indices = new Int32Array(n);
  const groups = strata ? splitStrata(strata) : undefined;
  for (let r = 0; r < settings.resamples; r++) {
    if (groups) {
      let at = 0;
      for (const g of groups) {
        const part = indices.subarray(at, at + g.length);
        drawIndices(random, part, g);
        at += g.length;
      }
    } else drawIndices(random, indices);
    out[r] = statistic(indices);
  }
  return out;
}

function splitStrata(strata: readonly boolean[]): Int32Array[] {
  const yes: number[] = [];
  const no: number[] = [];
  strata.forEach((s, i) => (s ? yes : no).push(i));
  return [Int32Array.from(yes), Int32Array.from(no)].filter((g) => g.length > 0);
}

/** Σ numerators / Σ denominators over the drawn indices (0 when the denominators sum to 0). */
export function ratioOfSums(numerators: ArrayLike<number>, denominators: ArrayLike<number>, indices: Int32Array): number {
  let num = 0;
  let den = 0;
  for (const i of indices) {
    num += numerators[i] as number;
    den += denominators[i] as number;
  }
  return den === 0 ? 0 : num / den;
}
