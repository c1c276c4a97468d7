import { quantileRatio } from '../stats/quantile-ratio.ts';
import { LATENCY_CALIBRATION_PATH, LATENCY_SAMPLES_PATH, readSeries } from './metrics.ts';
import { beyond, fmt, formatInterval, formatP, judged, refused, type ComparisonContext, type ComparisonResult, type TestRecord, verdictText } from './comparison.ts';

/** Both runs' calibration rounds when both timed the same reference workload; else why not. */
type Calibration = { workload: string; samplesMs: number[] };

function calibrationAt(run: unknown, path: string): Calibration | undefined {
  let at: unknown = run;
  for (const key of path.split('.')) at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  return at !== null && typeof at === 'object' ? (at as Calibration) : undefined;
}

function calibrationOf(ctx: ComparisonContext, path: string): { first: number[]; second: number[]; workload: string } | string {
  const a = calibrationAt(ctx.base, path);
  const b = calibrationAt(ctx.run, path);
  if (!a && !b) return 'neither run measured a calibration';
  if (!a || !b) return `only the ${a ? 'baseline' : 'current'} run measured a calibration`;
  if (a.workload !== b.workload) return `the calibration workloads differ ("${a.workload}" vs "${b.workload}")`;
  if (a.samplesMs.length === 0 || b.samplesMs.length === 0 || [...a.samplesMs, ...b.samplesMs].some((x) => !(x > 0))) return 'a calibration has no positive round time';
  return { first: a.samplesMs, second: b.samplesMs, workload: a.workload };
}

/**
 * A latency quantile against the baseline: the ratio of the two runs' quantiles (each divided
 * by its own calibration median when both runs timed the same reference workload, so a machine
 * that is uniformly slower or busier cancels out), with a bootstrap interval over the timed
 * samples. A regression only when the ratio is beyond the tolerance AND its interval lies
 * entirely on the worse side of 1.
 */
export function compareLatency(
  ctx: ComparisonContext,
  { q, samples = LATENCY_SAMPLES_PATH, calibration = LATENCY_CALIBRATION_PATH }: { q: number; samples?: string; calibration?: string },
  baselineValue: number,
): ComparisonResult {
  const a = readSeries(ctx.base, samples);
  const b = readSeries(ctx.run, samples);
  if (!a?.length || !b?.length) {
    const side = !a?.length && !b?.length ? 'neither run has' : !a?.length ? 'the baseline run has no' : 'the current run has no';
    return refused(ctx, baselineValue, `${side} timed samples (${samples}), so no test of the difference is possible`);
  }
  const cal = calibrationOf(ctx, calibration);
  const settings = { ...ctx.bootstrap, confidence: 1 - ctx.level };
  const r = quantileRatio({ first: a, second: b, q, ...(typeof cal !== 'string' && { calibration: { first: cal.first, second: cal.second } }) }, settings);
  const tol = ctx.tolerance;
  // The accepted ratio: a relative tolerance directly, an absolute one relative to the baseline's quantile.
  const sign = tol.worse === 'up' ? 1 : -1;
  const limitRatio = tol.relative ? 1 + sign * tol.amount : 1 + (sign * tol.amount) / r.firstQuantile;
  const exceeds = beyond(r.estimate, limitRatio, tol);
  const significant = tol.worse === 'up' ? r.low > 1 : r.high < 1;
  const pass = !(exceeds && significant);
  // In this run's milliseconds: the baseline's quantile allowed its tolerance, times how much slower this machine was.
  const machine = r.firstCalibration !== undefined && r.secondCalibration !== undefined ? r.secondCalibration / r.firstCalibration : 1;
  const limit = r.firstQuantile * limitRatio * machine;
  const m = ctx.metric;
  const pct = `p${Math.round(q * 100)}`;
  const kind = typeof cal === 'string' ? `raw ratio (${cal})` : `calibrated ratio (machine factor ${machine.toFixed(3)} from "${cal.workload}")`;
  const method = `bootstrap of the ${pct} ratio over timed samples, ${typeof cal === 'string' ? 'uncalibrated' : 'calibrated'} (${settings.resamples} resamples, seed ${settings.seed})`;
  const interval = { low: r.low, high: r.high };
  const verdict = verdictText(exceeds, significant, ctx.level);
  const detail =
    `${fmt(m, r.secondQuantile)} vs baseline ${fmt(m, r.firstQuantile)}; ${kind} ${r.estimate.toFixed(3)}, ` +
    `${Math.round((1 - ctx.level) * 100)}% interval ${formatInterval(interval)}, ${formatP(r.pValue)}; ` +
    `tolerance ${tol.text}, limit ${fmt(m, limit)}; samples ${b.length} vs ${a.length}: ${verdict}`;
  const record: TestRecord = { method, pValue: r.pValue, interval, level: ctx.level, significant };
  return judged(ctx, { baseline: r.firstQuantile, value: r.secondQuantile, limit, pass, detail, test: record, samples: { baseline: a.length, current: b.length } });
}
