import { describe, expect, it } from 'vitest';
import { auroc } from '../../src/stats/auroc.ts';
import { mcnemarExact } from '../../src/stats/mcnemar.ts';
import { pairedAurocDifference, pairedMeanDifference, pairedRatioDifference } from '../../src/stats/paired.ts';
import { seededRandom } from '../../src/stats/random.ts';
import { normals, pairedOutcomes } from './synthetic.ts';

const Z95 = 1.959963984540054;

/** Two-sided normal p-value (Abramowitz & Stegun 7.1.26 erfc, |error| < 1.5e-7). */
function normalP(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) * Math.exp(-x * x);
  return erfc;
}

describe('pairedMeanDifference (paired bootstrap)', () => {
  it('is exactly 0 with p = 1 for identical runs', () => {
    const xs = normals(100, 1);
    expect(pairedMeanDifference(xs, xs)).toMatchObject({ estimate: 0, low: 0, high: 0, pValue: 1, pairs: 100 });
  });

  it('agrees with the paired t (normal) interval and p-value on graded scores', () => {
    // 400 questions; the second run scores 0.05 higher on average, with per-question noise sd 0.3.
    const first = normals(400, 2, 0.6, 0.2);
    const noise = normals(400, 3, 0.05, 0.3);
    const second = first.map((x, i) => x + (noise[i] as number));
    const r = pairedMeanDifference(first, second, { seed: 4 });
    const d = second.map((y, i) => y - (first[i] as number));
    const m = d.reduce((a, b) => a + b, 0) / d.length;
    const sd = Math.sqrt(d.reduce((a, b) => a + (b - m) ** 2, 0) / (d.length - 1));
    const se = sd / Math.sqrt(d.length);
    expect(r?.estimate).toBeCloseTo(m, 12);
    expect(r?.low).toBeCloseTo(m - Z95 * se, 2);
    expect(r?.high).toBeCloseTo(m + Z95 * se, 2);
    // p from the bootstrap tail vs. the normal tail: same order of magnitude, both < 0.05.
    const pNormal = normalP(m / se);
    expect(r?.pValue).toBeLessThan(0.05);
    expect(Math.abs(Math.log10(r?.pValue ?? 1) - Math.log10(Math.max(pNormal, 1 / 2001)))).toBeLessThan(0.5);
  });

  it('is narrower than an unpaired comparison when the runs agree on most questions', () => {
    // Paired outcomes share the hard questions: the difference's variance is far smaller.
    const { first, second } = pairedOutcomes(475, 300, 25, 10, 5);
    const r = pairedMeanDifference(first, second, { seed: 6 });
    const p1 = first.reduce((a, b) => a + b, 0) / 475;
    const p2 = second.reduce((a, b) => a + b, 0) / 475;
    const unpairedHalf = Z95 * Math.sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / 475);
    expect(((r?.high ?? 0) - (r?.low ?? 0)) / 2).toBeLessThan(unpairedHalf * 0.6);
    expect(r?.estimate).toBeCloseTo(-15 / 475, 12);
  });

  it('shows a 0.006 difference on 475 questions as noise (McNemar and bootstrap agree)', () => {
    // 10 questions lost, 7 gained: accuracy 0.806 → 0.800 (−0.0063).
    const { first, second } = pairedOutcomes(475, 373, 10, 7, 8);
    const boot = pairedMeanDifference(first, second, { seed: 1 });
    const mc = mcnemarExact(first, second);
    expect(boot?.estimate).toBeCloseTo(-3 / 475, 12);
    expect(boot?.low).toBeLessThan(0);
    expect(boot?.high).toBeGreaterThan(0);
    expect(boot?.pValue).toBeGreaterThan(0.4);
    expect(mc).toMatchObject({ b: 10, c: 7 });
    expect(mc.pValue).toBeCloseTo(0.629058837890625, 12);
  });

  it('finds a real drop: 40 lost, 5 gained of 475', () => {
    const { first, second } = pairedOutcomes(475, 360, 40, 5, 9);
    const boot = pairedMeanDifference(first, second, { seed: 1 });
    expect(boot?.high).toBeLessThan(0);
    expect(boot?.pValue).toBeLessThan(0.001);
  });

  it('pairs only questions both runs scored', () => {
    const r = pairedMeanDifference([1, null, 0, 1], [1, 1, null, 0], { seed: 1 });
    expect(r).toMatchObject({ pairs: 2, firstMean: 1, secondMean: 0.5, estimate: -0.5 });
    expect(pairedMeanDifference([null], [1])).toBeNull();
    expect(() => pairedMeanDifference([1], [1, 2])).toThrow('1 values vs 2');
  });
});

describe('pairedRatioDifference and pairedAurocDifference', () => {
  it('compares citationFaithfulness as ratios of sums on the same questions', () => {
    const random = seededRandom(12);
    const citations = Array.from({ length: 300 }, () => 5);
    const firstVerified = citations.map(() => (random() < 0.98 ? 5 : 4));
    const secondVerified = firstVerified.map((v) => (random() < 0.3 ? v - 1 : v));
    const r = pairedRatioDifference(
      { numerators: firstVerified, denominators: citations },
      { numerators: secondVerified, denominators: citations },
      { seed: 2 },
    );
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(r?.firstValue).toBeCloseTo(sum(firstVerified) / 1500, 12);
    expect(r?.secondValue).toBeCloseTo(sum(secondVerified) / 1500, 12);
    expect(r?.estimate).toBeCloseTo((sum(secondVerified) - sum(firstVerified)) / 1500, 12);
    expect(r?.high).toBeLessThan(0);
    expect(r?.pValue).toBeLessThan(0.01);
    expect(pairedRatioDifference({ numerators: [null], denominators: [1] }, { numerators: [1], denominators: [1] })).toBeNull();
  });

  it('compares two AUROCs on the same questions, keeping both classes in every resample', () => {
    const labels = Array.from({ length: 300 }, (_, i) => i % 2 === 0);
    const signal = normals(300, 13);
    const first = signal.map((z, i) => z + (labels[i] ? 1 : 0));
    const same = pairedAurocDifference(first, first, labels, { seed: 3 });
    expect(same).toMatchObject({ estimate: 0, low: 0, high: 0, pValue: 1 });
    const blur = normals(300, 14);
    const blurred = first.map((x, i) => x + 2 * (blur[i] as number));
    const r = pairedAurocDifference(first, blurred, labels, { seed: 3 });
    expect(r?.firstValue).toBe(auroc(first, labels));
    expect(r?.estimate).toBeLessThan(-0.05);
    expect(r?.high).toBeLessThan(0);
    expect(pairedAurocDifference([1, 2], [1, 2], [true, true])).toBeNull();
  });
});
