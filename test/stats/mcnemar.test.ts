import { describe, expect, it } from 'vitest';
import { mcnemarExact, mcnemarExactP } from '../../src/stats/mcnemar.ts';
import { pairedOutcomes } from './synthetic.ts';

// Reference p-values: scipy.stats.binomtest(min(b, c), b + c, 0.5).pvalue (scipy 1.17), the
// exact McNemar test; small ones also by hand, e.g. b=2, c=8: 2·(1+10+45)/1024 = 0.109375.
const REFERENCE: [number, number, number][] = [
  [10, 7, 0.629058837890625],
  [2, 8, 0.109375],
  [0, 5, 0.0625],
  [40, 5, 7.878384167270269e-8],
  [120, 80, 0.005685155996750306],
  [1000, 1100, 0.03072070786424249],
  [3, 3, 1],
  [0, 0, 1],
];

describe('exact McNemar', () => {
  it('matches scipy binomtest on the discordant counts', () => {
    for (const [b, c, p] of REFERENCE) {
      expect(mcnemarExactP(b, c), `b=${b} c=${c}`).toBeCloseTo(p, 12);
      expect(mcnemarExactP(c, b)).toBeCloseTo(p, 12); // symmetric
      expect(Math.abs(mcnemarExactP(b, c) - p) / p).toBeLessThan(1e-9);
    }
  });

  it('counts the discordant pairs of two outcome arrays, skipping nulls', () => {
    const { first, second } = pairedOutcomes(475, 380, 10, 7, 3);
    const r = mcnemarExact([...first, null, 1], [...second, 1, null]);
    expect(r).toEqual({ b: 10, c: 7, pairs: 475, pValue: expect.closeTo(0.629058837890625, 12) });
  });

  it('rejects graded values and bad counts', () => {
    expect(() => mcnemarExact([0.5], [1])).toThrow('outcomes must be 0 or 1');
    expect(() => mcnemarExact([1], [1, 0])).toThrow('1 outcomes vs 2');
    expect(() => mcnemarExactP(-1, 2)).toThrow('non-negative integers');
  });
});
