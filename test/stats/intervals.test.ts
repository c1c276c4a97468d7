import { describe, expect, it } from 'vitest';
import { auroc } from '../../src/stats/auroc.ts';
import { DEFAULT_BOOTSTRAP, bootstrapPValue } from '../../src/stats/bootstrap.ts';
import { aurocInterval, meanInterval, ratioInterval } from '../../src/stats/intervals.ts';
import { seededRandom } from '../../src/stats/random.ts';
import { normals, outcomes } from './synthetic.ts';

const Z95 = 1.959963984540054; // scipy.stats.norm.ppf(0.975)

describe('meanInterval (percentile bootstrap of a mean)', () => {
  it('matches the normal-theory interval of a proportion on 475 questions', () => {
    // 380 of 475 right: p = 0.8, Wald half-width 1.96·sqrt(0.8·0.2/475) = 0.03597.
    const r = meanInterval(outcomes(475, 380, 1), { seed: 7 });
    const half = Z95 * Math.sqrt((0.8 * 0.2) / 475);
    expect(r?.estimate).toBeCloseTo(0.8, 12);
    expect(r?.low).toBeCloseTo(0.8 - half, 2);
    expect(r?.high).toBeCloseTo(0.8 + half, 2);
    expect(Math.abs((r?.low ?? 0) - (0.8 - half))).toBeLessThan(0.006);
  });

  it('skips nulls, and is reproducible from its seed', () => {
    const xs = outcomes(200, 120, 2);
    const withNulls = [null, ...xs, null, Number.NaN];
    expect(meanInterval(withNulls, { seed: 3 })).toEqual(meanInterval(xs, { seed: 3 }));
    expect(meanInterval(xs, { seed: 3 })).toEqual(meanInterval(xs, { seed: 3 }));
    const graded = normals(200, 8);
    expect(meanInterval(graded, { seed: 4 })).not.toEqual(meanInterval(graded, { seed: 3 }));
    expect(meanInterval([null, null])).toBeNull();
    expect(meanInterval([0.5, 0.5, 0.5])).toEqual({ estimate: 0.5, low: 0.5, high: 0.5 });
  });

  it('covers the true mean about 95 % of the time (200 samples of 100 questions, p = 0.7)', () => {
    const random = seededRandom(11);
    let covered = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const xs = Array.from({ length: 100 }, () => (random() < 0.7 ? 1 : 0));
      const r = meanInterval(xs, { seed: t, resamples: 500 });
      if (r && r.low <= 0.7 && 0.7 <= r.high) covered++;
    }
    // Binomial(200, 0.95) lies in [181, 197] with probability > 0.99; the percentile
    // bootstrap of a proportion undercovers slightly at n = 100, so the floor is 0.89.
    expect(covered / trials).toBeGreaterThan(0.89);
    expect(covered / trials).toBeLessThan(0.99);
  });

  it('validates its settings', () => {
    expect(() => meanInterval([1], { confidence: 1 })).toThrow('confidence must be in (0, 1)');
    expect(() => meanInterval([1], { resamples: 0 })).toThrow('resamples must be a positive integer');
    expect(DEFAULT_BOOTSTRAP).toMatchObject({ confidence: 0.95, resamples: 2000 });
  });
});

describe('ratioInterval (ratio of sums, resampling questions)', () => {
  it('equals the mean interval of the per-question fractions when every question has the same denominator', () => {
    // 5 citations per question: Σ verified / Σ citations = mean(verified / 5), resample by resample.
    const verified = outcomes(300, 0, 0).map((_, i) => [5, 5, 4, 5, 3, 5][i % 6] as number);
    const r = ratioInterval(verified, verified.map(() => 5), { seed: 9 });
    const m = meanInterval(verified.map((v) => v / 5), { seed: 9 });
    expect(r?.estimate).toBeCloseTo(m?.estimate ?? NaN, 12);
    expect(r?.low).toBeCloseTo(m?.low ?? NaN, 12);
    expect(r?.high).toBeCloseTo(m?.high ?? NaN, 12);
  });

  it('weights questions by their denominators, skips nulls, and is null without any denominator', () => {
    const r = ratioInterval([9, 0, null, 1], [10, 0, 4, 10]);
    expect(r?.estimate).toBeCloseTo(10 / 20, 12);
    // Resamples range from 1/10 (no 9/10 question drawn) to 9/10; a resample of only 0/0 counts 0.
    expect(r?.low).toBeLessThan(0.5);
    expect(r?.high).toBeGreaterThan(0.5);
    expect(r?.high).toBeLessThanOrEqual(0.9);
    expect(ratioInterval([0, 0], [0, 0])).toBeNull();
    expect(ratioInterval([1, 2, 3], [2, 4, 6])).toEqual({ estimate: 0.5, low: 0.5, high: 0.5 });
    expect(() => ratioInterval([1], [1, 2])).toThrow('1 numerators for 2 denominators');
  });
});

describe('aurocInterval (class-stratified bootstrap)', () => {
  it('has the width Hanley & McNeil (1982) give for an AUROC of 0.75 on 200 + 200 questions', () => {
    // Binormal classes 0.954 sd apart: AUROC = Φ(0.954 / √2) = 0.75; Hanley-McNeil SE = 0.0243.
    const pos = normals(200, 21, 0.954);
    const neg = normals(200, 22, 0);
    const scores = [...pos, ...neg];
    const labels = [...pos.map(() => true), ...neg.map(() => false)];
    const r = aurocInterval(scores, labels, { seed: 5 });
    expect(r?.estimate).toBe(auroc(scores, labels));
    expect(r?.estimate).toBeGreaterThan(0.7);
    expect(r?.estimate).toBeLessThan(0.8);
    const se = ((r?.high ?? 0) - (r?.low ?? 0)) / (2 * Z95);
    expect(se).toBeGreaterThan(0.0243 * 0.8);
    expect(se).toBeLessThan(0.0243 * 1.25);
    expect(r?.low).toBeLessThan(r?.estimate ?? 0);
    expect(r?.high).toBeGreaterThan(r?.estimate ?? 1);
  });

  it('is [1, 1] for perfect separation and null with one class', () => {
    expect(aurocInterval([3, 4, 1, 2], [true, true, false, false])).toEqual({ estimate: 1, low: 1, high: 1 });
    expect(aurocInterval([3, 4], [true, true])).toBeNull();
  });
});

describe('bootstrapPValue', () => {
  it('is twice the smaller tail, ties counting half, never 0', () => {
    expect(bootstrapPValue(Float64Array.from([1, 2, 3, 4]), 0)).toBeCloseTo(1 / 5, 12);
    expect(bootstrapPValue(Float64Array.from([-1, 1, 2, 3]), 0)).toBeCloseTo(3 / 5, 12);
    expect(bootstrapPValue(Float64Array.from([0, 0, 0, 0]), 0)).toBe(1);
    expect(bootstrapPValue(Float64Array.from([-1, 0, 1, 2]), 0)).toBeCloseTo(Math.min(1, (2 * 1.5 + 1) / 5), 12);
  });
});
