import * as hdr from 'hdr-histogram-js';
import { latencyHistogram, latencyPercentiles } from '../stats/latency-histogram.ts';

/**
 * Adds HDR histograms given as compressed base64 (load steps, µs): decoded, added into one,
 * re-encoded. Percentiles are then read from the sum — never averaged across parts.
 */
export function mergeHistograms(encoded: readonly string[]): { histogram: string; count: number; latencyMs: { p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number; meanMs: number } } {
  const total = latencyHistogram();
  for (const text of encoded) {
    const part = hdr.decodeFromCompressedBase64(text);
    total.add(part);
    part.destroy();
  }
  const { count, ...latencyMs } = count0(total);
  const histogram = hdr.encodeIntoCompressedBase64(total);
  total.destroy();
  return { histogram, count, latencyMs };
}

/** An empty histogram reads 0 everywhere, as a load step without responses reports. */
function count0(h: hdr.Histogram): ReturnType<typeof latencyPercentiles> {
  return h.totalCount > 0 ? latencyPercentiles(h) : { count: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 };
}
