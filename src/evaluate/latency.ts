import type * as hdr from 'hdr-histogram-js';
import { latencyHistogram, latencyPercentiles, toMicroseconds } from '../stats/latency-histogram.ts';
import type { LatencyStats } from '../summary/schema.ts';

/**
 * Latency samples go into HDR histograms (microsecond resolution, one per measurement round)
 * that are merged for the run's percentiles: percentiles are never averaged.
 */
export class LatencyRecorder {
  private readonly rounds: hdr.Histogram[] = [];
  private readonly samples: number[] = [];
  private readonly calibrationMs: number[] = [];
  private readonly total = latencyHistogram();

  /** Starts a round; `calibrationMs` is the reference workload's time measured just before it. */
  startRound(calibrationMs?: number): void {
    if (calibrationMs !== undefined) this.calibrationMs.push(calibrationMs);
    this.rounds.push(latencyHistogram());
  }

  /** A reference-workload time measured between queries of the current round. */
  calibrate(ms: number): void {
    this.calibrationMs.push(ms);
  }

  record(ms: number): void {
    const us = toMicroseconds(ms);
    this.samples.push(us / 1000);
    if (this.rounds.length === 0) this.startRound();
    (this.rounds[this.rounds.length - 1] as hdr.Histogram).recordValue(us);
    this.total.recordValue(us);
  }

  /** `workload` names what the calibration timed (recorded when rounds were calibrated). */
  stats(workload?: string): LatencyStats {
    const { count, ...percentiles } = latencyPercentiles(this.total);
    return {
      samples: count,
      ...percentiles,
      roundP95Ms: this.rounds.filter((r) => r.totalCount > 0).map((r) => latencyPercentiles(r).p95Ms),
      samplesMs: [...this.samples],
      ...(workload !== undefined && this.calibrationMs.length > 0 && { calibration: { workload, samplesMs: [...this.calibrationMs] } }),
    };
  }
}
