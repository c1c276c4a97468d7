import * as hdr from 'hdr-histogram-js';
import type { LatencyStats } from '../summary/schema.ts';

/**
 * Latency samples go into HDR histograms (microsecond resolution, one per measurement round)
 * that are merged for the run's percentiles: percentiles are never averaged.
 */
export class LatencyRecorder {
  private readonly rounds: hdr.Histogram[] = [];
  private readonly samples: number[] = [];
  private readonly calibrationMs: number[] = [];
  private readonly total = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });

  /** Starts a round; `calibrationMs` is the reference workload's time measured just before it. */
  startRound(calibrationMs?: number): void {
    if (calibrationMs !== undefined) this.calibrationMs.push(calibrationMs);
    this.rounds.push(hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 }));
  }

  /** A reference-workload time measured between queries of the current round. */
  calibrate(ms: number): void {
    this.calibrationMs.push(ms);
  }

  record(ms: number): void {
    const us = Math.max(1, Math.round(ms * 1000));
    this.samples.push(us / 1000);
    if (this.rounds.length === 0) this.startRound();
    (this.rounds[this.rounds.length - 1] as hdr.Histogram).recordValue(us);
    this.total.recordValue(us);
  }

  /** `workload` names what the calibration timed (recorded when rounds were calibrated). */
  stats(workload?: string): LatencyStats {
    const ms = (us: number): number => Math.round(us) / 1000;
    const t = this.total;
    return {
      samples: t.totalCount,
      p50Ms: ms(t.getValueAtPercentile(50)),
      p95Ms: ms(t.getValueAtPercentile(95)),
      p99Ms: ms(t.getValueAtPercentile(99)),
      maxMs: ms(t.maxValue),
      meanMs: ms(t.mean),
      roundP95Ms: this.rounds.filter((r) => r.totalCount > 0).map((r) => ms(r.getValueAtPercentile(95))),
      samplesMs: [...this.samples],
      ...(workload !== undefined && this.calibrationMs.length > 0 && { calibration: { workload, samplesMs: [...this.calibrationMs] } }),
    };
  }
}
