import { describe, expect, it } from 'vitest';
import { mean, median, quantile, quantileSorted } from '../../src/stats/quantile.ts';

// Reference values: numpy.percentile (default linear method = R type 7), numpy 2.x.
describe('quantile (type 7, as R and numpy)', () => {
  it('matches numpy.percentile', () => {
    expect(quantile([1, 2, 3, 4], 0.95)).toBeCloseTo(3.85, 12);
    expect(quantile([3, 1, 4, 1, 5, 9, 2, 6], 0.05)).toBeCloseTo(1, 12);
    expect(quantile([3, 1, 4, 1, 5, 9, 2, 6], 0.5)).toBeCloseTo(3.5, 12);
    expect(quantile([3, 1, 4, 1, 5, 9, 2, 6], 0.95)).toBeCloseTo(7.95, 12);
    expect(quantile(Array.from({ length: 100 }, (_, i) => i + 1), 0.95)).toBeCloseTo(95.05, 12);
  });

  it('handles the ends, one value, and does not change its input', () => {
    const xs = [5, 3, 9];
    expect(quantile(xs, 0)).toBe(3);
    expect(quantile(xs, 1)).toBe(9);
    expect(xs).toEqual([5, 3, 9]);
    expect(quantileSorted([7], 0.95)).toBe(7);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(mean([1, 2, 3, 6])).toBe(3);
  });

  it('rejects an empty sample and p outside [0, 1]', () => {
    expect(() => quantile([], 0.5)).toThrow('empty');
    expect(() => quantile([1], 1.5)).toThrow('p must be in [0, 1]');
    expect(() => mean([])).toThrow('empty');
  });
});
