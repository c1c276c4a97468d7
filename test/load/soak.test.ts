import { describe, expect, it } from 'vitest';
import { rssGrowth, slope } from '../../src/load/soak.ts';

describe('soak RSS figures', () => {
  it('measures growth between the medians of the first and last fifths, so one spike does not decide it', () => {
    const flat: [number, number][] = Array.from({ length: 50 }, (_, i) => [i, 100]);
    expect(rssGrowth(flat)).toBe(0);
    flat[49] = [49, 900];
    flat[0] = [0, 10];
    expect(rssGrowth(flat)).toBe(0);
    const leak: [number, number][] = Array.from({ length: 50 }, (_, i) => [i, 100 + 2 * i]);
    // Medians of samples 0-9 (109) and 40-49 (189).
    expect(rssGrowth(leak)).toBe(80);
  });

  it('fits the least-squares slope', () => {
    expect(slope([[0, 1], [1, 3], [2, 5]])).toBeCloseTo(2, 12);
    expect(slope([[0, 5]])).toBe(0);
    expect(slope([[1, 1], [1, 2]])).toBe(0);
  });
});
