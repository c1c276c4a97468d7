import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/gate/index.ts';
import { seededRandom } from '../../src/stats/random.ts';
import type { LoadRun } from '../../src/summary/schema.ts';
import { makeRun, makeSummary } from './fixtures.ts';

/** n log-normal-ish latencies around `ms`, seeded. */
function latencies(n: number, ms: number, seed: number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => Math.round(ms * Math.exp(0.4 * (random() + random() + random() - 1.5)) * 1000) / 1000);
}

const quantile = (xs: number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.ceil(q * xs.length) - 1] as number;

/** A load section whose gated step took `ms` per request while GET /health took `healthMs` (machine speed). */
function load(ms: number, healthMs: number, rps: number, healthRps: number, seed: number): LoadRun {
  const samplesMs = latencies(2000, ms, seed);
  return {
    version: 1, gateAt: 32,
    p50Ms: quantile(samplesMs, 0.5), p95Ms: quantile(samplesMs, 0.95), p99Ms: quantile(samplesMs, 0.99),
    rps, errorRate: 0, ceilingRatio: rps / healthRps, samplesMs,
    calibration: { workload: 'GET /health at 32 connections', samplesMs: latencies(2000, healthMs, seed + 1) },
    healthCeilingRps: healthRps, saturation: null, steps: [], soak: null,
    service: { configFile: 'service.yml', readySeconds: 2, maxConcurrentQueries: 32, cacheMaxBytes: 64 * 2 ** 20 },
    zipf: { exponent: 1, questions: 1000, seed: 1 },
  };
}

const summary = (l: LoadRun, runId: string) => makeSummary([makeRun('svc', { load: l })], { runId });

describe('load figures against a baseline: calibrated by GET /health, throughput as a share of it', () => {
  const baseline = summary(load(3, 1, 9600, 36000, 1), 'base');

  it('A/A on a machine twice as slow everywhere is GO: /health slowed as much as the queries', () => {
    const v = evaluateGate(summary(load(6, 2, 4800, 18000, 7), 'slow-machine'), { baseline, mode: 'nightly' });
    const p95 = v.checks.find((c) => c.metric === 'load.p95Ms' && c.source === 'baseline');
    expect(p95?.status, p95?.detail).toBe('pass');
    expect(p95?.detail).toContain('calibrated ratio');
    expect(v.checks.find((c) => c.metric === 'load.ceilingRatio' && c.source === 'baseline')?.status).toBe('pass');
    expect(v.decision).toBe('GO');
  });

  it('the same machine serving twice as slowly is NO-GO, naming the load latency and throughput', () => {
    const v = evaluateGate(summary(load(6, 1, 4800, 36000, 7), 'slow-service'), { baseline, mode: 'nightly' });
    expect(v.decision).toBe('NO-GO');
    expect(v.triggers.map((t) => t.metric).sort()).toEqual(['load.ceilingRatio', 'load.p95Ms']);
  });
});
