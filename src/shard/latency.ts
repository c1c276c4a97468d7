import { latencyHistogram, latencyPercentiles, toMicroseconds } from '../stats/latency-histogram.ts';
import type { LatencyStats } from '../summary/schema.ts';
import { InputError } from '../util/errors.ts';

/** Percentiles of timed queries (ms), read from one HDR histogram of all of them, as the runner's LatencyRecorder reads its own. */
export function percentilesOf(samplesMs: readonly number[]): Omit<ReturnType<typeof latencyPercentiles>, 'count'> & { samples: number } {
  const h = latencyHistogram();
  for (const ms of samplesMs) h.recordValue(toMicroseconds(ms));
  const { count, ...p } = latencyPercentiles(h);
  h.destroy();
  return { samples: count, ...p };
}

/**
 * One run's latency from the parts its question shards timed: every timed query concatenated
 * (shard order) and the percentiles recomputed from them — never averaged. Rounds and
 * calibration points are concatenated too; calibration is kept only when every part timed the
 * same reference workload.
 */
export function joinLatency(parts: readonly { where: string; latency: LatencyStats }[]): LatencyStats {
  const samplesMs: number[] = [];
  for (const { where, latency } of parts) {
    if (!latency.samplesMs) {
      throw new InputError(`${where}: latency.samplesMs: missing, so its percentiles cannot be merged (they are recomputed from the timed queries, never averaged); re-run that shard with this ragbench`);
    }
    samplesMs.push(...latency.samplesMs);
  }
  const calibrations = parts.map((p) => p.latency.calibration);
  const workload = calibrations[0]?.workload;
  const calibrated = workload !== undefined && calibrations.every((c) => c?.workload === workload);
  return {
    ...percentilesOf(samplesMs),
    roundP95Ms: parts.flatMap((p) => p.latency.roundP95Ms),
    samplesMs,
    ...(calibrated && { calibration: { workload, samplesMs: calibrations.flatMap((c) => c?.samplesMs ?? []) } }),
  };
}
