import { randomIndex, seededRandom } from './random.ts';
import { bootstrapPValue, percentileInterval, resolveSettings, type BootstrapSettings, type TestedEstimate } from './bootstrap.ts';
import { median, quantileSorted } from './quantile.ts';

export interface QuantileRatioInput {
  /** Timed samples of each run (independent samples: different processes, different times). */
  first: readonly number[];
  second: readonly number[];
  /** Which quantile, e.g. 0.95 for p95. */
  q: number;
  /**
   * A reference workload timed in each run (per round): each run's quantile is divided by the
   * median of its calibration times, so a machine that is uniformly slower cancels out.
   */
  calibration?: { first: readonly number[]; second: readonly number[] };
}

export interface QuantileRatio extends TestedEstimate {
  /** The quantile of each sample (raw, in the samples' unit). */
  firstQuantile: number;
  secondQuantile: number;
  /** Median calibration time of each run, when calibrated. */
  firstCalibration?: number;
  secondCalibration?: number;
}

function resampleQuantile(random: () => number, xs: Float64Array, buf: Float64Array, q: number): number {
  for (let i = 0; i < buf.length; i++) buf[i] = xs[randomIndex(random, xs.length)] as number;
  return quantileSorted(buf.sort(), q);
}

function resampleMedian(random: () => number, xs: Float64Array, buf: Float64Array): number {
  return resampleQuantile(random, xs, buf, 0.5);
}

/**
 * Bootstrap of the ratio of two quantiles of independent samples, second / first (e.g. this
 * run's p95 over the baseline's): each resample draws each sample with replacement, and with
 * calibration also each run's calibration rounds (their median divides that run's quantile,
 * so the noise of the calibration itself widens the interval). Interval of the ratio, and the
 * two-sided p-value of "ratio = 1".
 */
export function quantileRatio(input: QuantileRatioInput, settings: Partial<BootstrapSettings> = {}): QuantileRatio {
  const s = resolveSettings(settings);
  const a = Float64Array.from(input.first);
  const b = Float64Array.from(input.second);
  if (a.length === 0 || b.length === 0) throw new Error(`quantileRatio: empty sample (${a.length} and ${b.length} values)`);
  const cal = input.calibration && { a: Float64Array.from(input.calibration.first), b: Float64Array.from(input.calibration.second) };
  if (cal && (cal.a.length === 0 || cal.b.length === 0)) throw new Error('quantileRatio: empty calibration');
  if (cal && [...cal.a, ...cal.b].some((x) => !(x > 0))) throw new Error('quantileRatio: calibration times must be positive');
  const qa = quantileSorted(Float64Array.from(a).sort(), input.q);
  const qb = quantileSorted(Float64Array.from(b).sort(), input.q);
  const ca = cal ? median(cal.a) : 1;
  const cb = cal ? median(cal.b) : 1;
  const estimate = qb / cb / (qa / ca);
  const random = seededRandom(s.seed);
  const bufA = new Float64Array(a.length);
  const bufB = new Float64Array(b.length);
  const calA = cal && new Float64Array(cal.a.length);
  const calB = cal && new Float64Array(cal.b.length);
  const dist = new Float64Array(s.resamples);
  for (let r = 0; r < s.resamples; r++) {
    const ra = resampleQuantile(random, a, bufA, input.q);
    const rb = resampleQuantile(random, b, bufB, input.q);
    const rca = cal && calA ? resampleMedian(random, cal.a, calA) : 1;
    const rcb = cal && calB ? resampleMedian(random, cal.b, calB) : 1;
    dist[r] = rb / rcb / (ra / rca);
  }
  const pValue = bootstrapPValue(dist, 1);
  const out: QuantileRatio = { estimate, ...percentileInterval(dist, s.confidence), pValue, firstQuantile: qa, secondQuantile: qb };
  if (cal) {
    out.firstCalibration = ca;
    out.secondCalibration = cb;
  }
  return out;
}
