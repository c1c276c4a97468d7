import * as hdr from 'hdr-histogram-js';

/** An HDR histogram of latencies in microseconds: 1 µs to an hour, 3 significant digits. */
export function latencyHistogram(): hdr.Histogram {
  return hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 3_600_000_000, numberOfSignificantValueDigits: 3 });
}

/** Milliseconds as a histogram records them (at least 1 µs). */
export function toMicroseconds(ms: number): number {
  return Math.min(3_600_000_000, Math.max(1, Math.round(ms * 1000)));
}

/** Percentiles of a latency histogram in ms, read from it (never averaged). */
export function latencyPercentiles(h: hdr.Histogram): { count: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number; meanMs: number } {
  const ms = (us: number): number => Math.round(us) / 1000;
  return {
    count: h.totalCount,
    p50Ms: ms(h.getValueAtPercentile(50)),
    p95Ms: ms(h.getValueAtPercentile(95)),
    p99Ms: ms(h.getValueAtPercentile(99)),
    maxMs: ms(h.maxValue),
    meanMs: ms(h.mean),
  };
}
