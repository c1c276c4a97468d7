import { describe, expect, it } from 'vitest';
import { quantileRatio } from '../../src/stats/quantile-ratio.ts';
import { quantile } from '../../src/stats/quantile.ts';
import { latencies } from './synthetic.ts';

// Synthetic latencies: log-normal, median 30 ms, 300 timed queries per run (the suite default).
const calibration = (ms: number, seed: number) => latencies(3, seed, ms, 0.03);

describe('quantileRatio (bootstrap of the ratio of two p95s)', () => {
  it('A/A: the same distribution measured twice is not a change', () => {
    const r = quantileRatio({ first: latencies(300, 1), second: latencies(300, 2), q: 0.95 }, { seed: 1 });
    expect(r.low).toBeLessThan(1);
    expect(r.high).toBeGreaterThan(1);
    expect(r.pValue).toBeGreaterThan(0.05);
    expect(r.firstQuantile).toBeCloseTo(quantile(latencies(300, 1), 0.95), 12);
  });

  it('A/A on a machine 20 % slower: raw p95 looks slower, calibrated it is not', () => {
    const first = latencies(300, 3);
    const second = latencies(300, 4).map((x) => x * 1.2);
    const raw = quantileRatio({ first, second, q: 0.95 }, { seed: 2 });
    expect(raw.estimate).toBeGreaterThan(1.1);
    expect(raw.low).toBeGreaterThan(1);
    const cal = quantileRatio({ first, second, q: 0.95, calibration: { first: calibration(50, 5), second: calibration(60, 6) } }, { seed: 2 });
    expect(cal.low).toBeLessThan(1);
    expect(cal.high).toBeGreaterThan(1);
    expect(cal.pValue).toBeGreaterThan(0.05);
    expect(cal.secondCalibration! / cal.firstCalibration!).toBeCloseTo(1.2, 1);
  });

  it('A/B: a +50 % slowdown on the same machine is a significant ratio near 1.5', () => {
    const first = latencies(300, 7);
    const second = latencies(300, 8).map((x) => x * 1.5);
    const r = quantileRatio({ first, second, q: 0.95, calibration: { first: calibration(50, 9), second: calibration(50, 10) } }, { seed: 3 });
    expect(r.estimate).toBeGreaterThan(1.3);
    expect(r.estimate).toBeLessThan(1.7);
    expect(r.low).toBeGreaterThan(1.15);
    expect(r.pValue).toBeLessThan(0.01);
  });

  it('rarely calls an A/A pair significant: false positives at the 5 % level over 100 pairs', () => {
    let significant = 0;
    for (let t = 0; t < 100; t++) {
      const r = quantileRatio({ first: latencies(300, 1000 + t), second: latencies(300, 2000 + t), q: 0.95 }, { seed: t, resamples: 400 });
      if (r.low > 1 || r.high < 1) significant++;
    }
    // Expected ≈ 5; Binomial(100, 0.05) exceeds 12 with probability < 0.001.
    expect(significant).toBeLessThanOrEqual(12);
  });

  it('rejects empty samples and non-positive calibration', () => {
    expect(() => quantileRatio({ first: [], second: [1], q: 0.95 })).toThrow('empty sample');
    expect(() => quantileRatio({ first: [1], second: [1], q: 0.95, calibration: { first: [0], second: [1] } })).toThrow('positive');
    expect(() => quantileRatio({ first: [1], second: [1], q: 0.95, calibration: { first: [], second: [1] } })).toThrow('empty calibration');
  });
});
