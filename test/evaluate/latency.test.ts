import { describe, expect, it } from 'vitest';
import { LatencyRecorder } from '../../src/evaluate/latency.ts';

describe('LatencyRecorder', () => {
  it('reports histogram percentiles of all samples and a p95 per round', () => {
    const r = new LatencyRecorder();
    r.startRound();
    for (let i = 1; i <= 100; i++) r.record(i); // 1..100 ms
    r.startRound();
    for (let i = 1; i <= 100; i++) r.record(i * 2); // 2..200 ms
    const s = r.stats();
    expect(s.samples).toBe(200);
    expect(s.maxMs).toBeCloseTo(200, 0);
    // Merged, not averaged: the 95th of 200 samples lies among the second round's values.
    expect(s.p95Ms).toBeGreaterThan(170);
    expect(s.p95Ms).toBeLessThan(195);
    expect(s.p50Ms).toBeCloseTo(67, -1);
    expect(s.roundP95Ms).toHaveLength(2);
    expect(s.roundP95Ms[0]).toBeCloseTo(95, 0);
    expect(s.roundP95Ms[1]).toBeCloseTo(190, 0);
  });

  it('keeps sub-millisecond resolution', () => {
    const r = new LatencyRecorder();
    for (let i = 0; i < 10; i++) r.record(0.25);
    expect(r.stats().p50Ms).toBeCloseTo(0.25, 3);
    expect(r.stats().roundP95Ms).toHaveLength(1);
  });
});
