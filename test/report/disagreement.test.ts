import { describe, expect, it } from 'vitest';
import { disagreement } from '../../src/report/disagreement.ts';

describe('disagreement between two runs', () => {
  it('splits the questions into b, c, both right, both wrong and not applicable', () => {
    const d = disagreement([1, 1, 0, 0, null, 1, 0], [0, 1, 1, 0, 1, 0, 0]);
    expect(d).toEqual({ onlyFirst: [0, 5], onlySecond: [2], bothRight: 1, bothWrong: 2, skipped: 1, pValue: 1 });
  });

  it('gives the exact McNemar p-value of the split (R: binom.test(b, b + c))', () => {
    const of = (b: number, c: number) => disagreement([...Array(b).fill(1), ...Array(c).fill(0)], [...Array(b).fill(0), ...Array(c).fill(1)]).pValue;
    expect(of(0, 5)).toBeCloseTo(0.0625, 12);
    expect(of(10, 2)).toBeCloseTo(158 / 4096, 12);
    expect(of(3, 7)).toBeCloseTo(0.34375, 12);
    // A 0.006 difference on 475 questions: 3 more right out of 39 disagreements is noise.
    expect(of(18, 21)).toBeGreaterThan(0.7);
  });

  it('refuses outcomes that are not aligned', () => {
    expect(() => disagreement([1], [1, 0])).toThrow('disagreement: 1 outcomes vs 2');
  });
});
