import * as hdr from 'hdr-histogram-js';
import { describe, expect, it } from 'vitest';
import { mergeHistograms } from '../../src/shard/histograms.ts';
import { mergeCache, mergeLoad } from '../../src/shard/load.ts';
import { latencyHistogram, latencyPercentiles, toMicroseconds } from '../../src/stats/latency-histogram.ts';
import { seededRandom } from '../../src/stats/random.ts';
import type { CacheRun, LoadRun, LoadStep } from '../../src/summary/schema.ts';

/** Latencies (ms) from a seeded skewed distribution: a body and a slow tail, as load steps see. */
function latencies(n: number, seed: number, scale: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => (random() < 0.9 ? 1 + random() * 4 : 20 + random() * 200) * scale);
}

function encode(ms: readonly number[]): string {
  const h = latencyHistogram();
  for (const x of ms) h.recordValue(toMicroseconds(x));
  const text = hdr.encodeIntoCompressedBase64(h);
  h.destroy();
  return text;
}

function percentiles(ms: readonly number[]): ReturnType<typeof latencyPercentiles> {
  const h = latencyHistogram();
  for (const x of ms) h.recordValue(toMicroseconds(x));
  const p = latencyPercentiles(h);
  h.destroy();
  return p;
}

function step(mix: LoadStep['mix'], concurrency: number, ms: readonly number[], seconds: number, hits = 0, misses = 0): LoadStep {
  const { count: _, ...latencyMs } = percentiles(ms);
  return {
    mix,
    concurrency,
    seconds,
    requests: ms.length,
    rps: ms.length / seconds,
    latencyMs,
    errors: 1,
    timeouts: 0,
    non2xx: 2,
    statusCodes: { '200': ms.length - 2, '503': 2 },
    ceilingRatio: null,
    histogram: encode(ms),
    server:
      mix === 'health'
        ? null
        : {
            hitRatio: hits + misses === 0 ? null : hits / (hits + misses),
            hits,
            misses,
            computed: misses,
            rejected: 0,
            timedOut: 0,
            hitP95Ms: 1,
            missP95Ms: 40,
            stageP50Ms: { embed: 10, search: 1, merge: 0.1 },
            rssBytes: 300e6,
            eventLoopDelayMs: { p50: 1, p99: 5, max: 9 },
            cpuCores: 1,
          },
  };
}

/** A shard's load section as run-load writes it, from its steps. */
function loadRun(steps: LoadStep[], growthOfBound: number): LoadRun {
  const gated = steps.find((s) => s.mix === 'zipf') as LoadStep;
  return {
    version: 1,
    gateAt: 8,
    p50Ms: gated.latencyMs.p50Ms,
    p95Ms: gated.latencyMs.p95Ms,
    p99Ms: gated.latencyMs.p99Ms,
    rps: gated.rps,
    errorRate: 0,
    ceilingRatio: null,
    samplesMs: [1, 2, 3],
    healthCeilingRps: 0,
    saturation: null,
    steps,
    soak: { mix: 'zipf', concurrency: 8, seconds: 60, requests: 100, rps: 10, errors: 0, non2xx: 0, rss: [], rssGrowthBytes: 1, rssSlopeBytesPerMinute: 0, rssGrowthBoundBytes: 10, growthOfBound },
    service: { configFile: 'x', readySeconds: 1, maxConcurrentQueries: 64, cacheMaxBytes: 1 },
    zipf: { exponent: 1, questions: 1000, seed: 1 },
  };
}

describe('mergeHistograms', () => {
  it('percentiles of the merged histogram are those of every value recorded in one histogram', () => {
    const a = latencies(5000, 1, 1);
    const b = latencies(2000, 2, 3); // a slower machine: averaging the two p95s would be wrong
    const merged = mergeHistograms([encode(a), encode(b)]);
    const { count, ...all } = percentiles([...a, ...b]);
    expect(merged.count).toBe(7000);
    expect(count).toBe(7000);
    const { maxMs, ...rest } = merged.latencyMs;
    expect(rest).toEqual({ p50Ms: all.p50Ms, p95Ms: all.p95Ms, p99Ms: all.p99Ms, meanMs: all.meanMs });
    // The encoding keeps counts per bucket: a decoded max is its bucket's top, within the histogram's 3 significant digits.
    expect(Math.abs(maxMs - all.maxMs)).toBeLessThanOrEqual(all.maxMs * 1e-3);
    const averaged = (percentiles(a).p95Ms + percentiles(b).p95Ms) / 2;
    expect(Math.abs(merged.latencyMs.p95Ms - averaged)).toBeGreaterThan(1);
    // The merged histogram is re-encoded: decoding it gives the same counts.
    const back = hdr.decodeFromCompressedBase64(merged.histogram);
    expect(back.totalCount).toBe(7000);
    expect(latencyPercentiles(back).p99Ms).toBe(all.p99Ms);
    back.destroy();
  });
});

describe('mergeLoad / mergeCache', () => {
  /** Each shard's raw latencies per mix: [count, seed, scale] (shard B's zipf is twice as slow). */
  const draws: Record<'health' | 'zipf' | 'hits', [[number, number, number], [number, number, number]]> = {
    health: [[4000, 3, 0.2], [3000, 6, 0.2]],
    zipf: [[900, 4, 1], [600, 7, 2]],
    hits: [[1000, 5, 0.5], [500, 8, 0.5]],
  };
  const raw = (mix: keyof typeof draws, shard: 0 | 1): number[] => latencies(...draws[mix][shard]);
  const stepsOf = (shard: 0 | 1, zipfHits: number, zipfMisses: number, hits: number): LoadStep[] => [
    step('health', 8, raw('health', shard), 2),
    step('zipf', 8, raw('zipf', shard), 3, zipfHits, zipfMisses),
    step('hits', 8, raw('hits', shard), 1, hits, 0),
  ];
  const shardA = stepsOf(0, 800, 100, 1000);
  const shardB = stepsOf(1, 450, 150, 500);

  it('gated figures come from the merged histogram; counters add; hit ratio and rps recomputed; worst soak kept', () => {
    const load = mergeLoad('test', [loadRun(shardA, 0.4), loadRun(shardB, 0.7)]);
    const zipf = [...raw('zipf', 0), ...raw('zipf', 1)];
    const { count: _, ...expected } = percentiles(zipf);
    expect(load.p95Ms).toBe(expected.p95Ms);
    expect(load.p99Ms).toBe(expected.p99Ms);
    const gated = load.steps.find((s) => s.mix === 'zipf') as LoadStep;
    expect(gated.requests).toBe(1500);
    expect(gated.seconds).toBe(6);
    expect(load.rps).toBe(1500 / 6);
    expect(load.errorRate).toBe((2 + 4) / 1500);
    expect(gated.statusCodes).toEqual({ '200': 1496, '503': 4 });
    expect(gated.server?.hitRatio).toBe(1250 / 1500);
    expect(gated.server?.hitP95Ms).toBeNull(); // a server-side percentile without its histogram: not merged
    expect(load.ceilingRatio).toBe(Math.round((1500 / 6 / (7000 / 4)) * 1000) / 1000);
    expect(load.samplesMs).toEqual([1, 2, 3, 1, 2, 3]);
    expect(load.soak?.growthOfBound).toBe(0.7);
    const cache = mergeCache(load, [{ version: 1, gateAt: 8, hitRatio: 0.8, hitP50Ms: 0, hitP95Ms: 0, hitP99Ms: 0, hitRps: 0, hitSamplesMs: [1], missP50Ms: null, missP95Ms: null } satisfies CacheRun, { version: 1, gateAt: 8, hitRatio: 0.75, hitP50Ms: 0, hitP95Ms: 0, hitP99Ms: 0, hitRps: 0, hitSamplesMs: [2], missP50Ms: null, missP95Ms: null }]);
    expect(cache.hitRatio).toBe(1250 / 1500);
    expect(cache.hitP95Ms).toBe(percentiles([...raw('hits', 0), ...raw('hits', 1)]).p95Ms);
    expect(cache.hitSamplesMs).toEqual([1, 2]);
  });

  it('refuses shards that ran different load steps', () => {
    expect(() => mergeLoad('shard 2', [loadRun(shardA, 0), loadRun(shardB.slice(0, 2), 0)])).toThrow(/shard 2: load\.steps differ/);
  });
});
