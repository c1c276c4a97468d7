import { describe, expect, it } from 'vitest';
import { convexCombination, reciprocalRankFusion } from '../../src/retrieve/fusion.ts';

describe('reciprocalRankFusion', () => {
  it('sums w / (k + rank) over the lists, ranks 1-based', () => {
    const fused = reciprocalRankFusion(
      [
        { ids: ['a', 'b', 'c'], weight: 1 },
        { ids: ['c', 'a', 'd'], weight: 1 },
      ],
      60,
    );
    expect(fused.map((h) => h.id)).toEqual(['a', 'c', 'b', 'd']);
    const score = Object.fromEntries(fused.map((h) => [h.id, h.score]));
    expect(score['a']).toBeCloseTo(1 / 61 + 1 / 62, 12);
    expect(score['c']).toBeCloseTo(1 / 63 + 1 / 61, 12);
    expect(score['b']).toBeCloseTo(1 / 62, 12);
    expect(score['d']).toBeCloseTo(1 / 63, 12);
  });

  it('weights lists: a heavier list wins disagreements', () => {
    const lists = (w: number) => [
      { ids: ['x', 'y'], weight: 1 },
      { ids: ['y', 'x'], weight: w },
    ];
    expect(reciprocalRankFusion(lists(2))[0]?.id).toBe('y');
    expect(reciprocalRankFusion(lists(0.5))[0]?.id).toBe('x');
    // Equal weights: a tie, broken by id.
    const tie = reciprocalRankFusion(lists(1));
    expect(tie.map((h) => h.id)).toEqual(['x', 'y']);
    expect(tie[0]?.score).toBe(tie[1]?.score);
  });

  it('uses k to flatten (large k) or sharpen (small k) the rank curve', () => {
    const lists = [
      { ids: ['a', 'b', 'c', 'd'], weight: 1 },
      { ids: ['d', 'c', 'b', 'a'], weight: 1 },
      { ids: ['b'], weight: 1 },
    ];
    // k = 0: 1/1 + 1/4 for a vs 1/2 + 1/3 + 1 for b.
    const sharp = reciprocalRankFusion(lists, 0);
    expect(sharp[0]).toEqual({ id: 'b', score: 1 / 2 + 1 / 3 + 1 });
    expect(sharp.find((h) => h.id === 'a')?.score).toBeCloseTo(1.25, 12);
  });

  it('counts a repeated id once, at its best rank; rejects a negative k', () => {
    const fused = reciprocalRankFusion([{ ids: ['a', 'b', 'a'], weight: 1 }], 1);
    expect(fused).toEqual([
      { id: 'a', score: 1 / 2 },
      { id: 'b', score: 1 / 3 },
    ]);
    expect(() => reciprocalRankFusion([], -1)).toThrow('rrf: k must be >= 0, got -1');
    expect(reciprocalRankFusion([])).toEqual([]);
  });
});

describe('convexCombination', () => {
  it('min-max normalises each list and averages with the weights', () => {
    const fused = convexCombination([
      { hits: [{ id: 'a', score: 10 }, { id: 'b', score: 6 }, { id: 'c', score: 2 }], weight: 3 },
      { hits: [{ id: 'c', score: 0.9 }, { id: 'b', score: 0.5 }, { id: 'd', score: 0.1 }], weight: 1 },
    ]);
    const score = Object.fromEntries(fused.map((h) => [h.id, h.score]));
    expect(score['a']).toBeCloseTo((3 * 1) / 4, 12);
    expect(score['b']).toBeCloseTo((3 * 0.5 + 1 * 0.5) / 4, 12);
    expect(score['c']).toBeCloseTo((3 * 0 + 1 * 1) / 4, 12);
    expect(score['d']).toBeCloseTo(0, 12);
    expect(fused.map((h) => h.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('scales a list of equal scores to 1, skips empty lists and repeated ids', () => {
    const fused = convexCombination([
      { hits: [{ id: 'a', score: 3 }, { id: 'b', score: 3 }, { id: 'a', score: 1 }], weight: 1 },
      { hits: [], weight: 1 },
    ]);
    expect(fused).toEqual([
      { id: 'a', score: 0.5 },
      { id: 'b', score: 0.5 },
    ]);
  });

  it('rejects weights that sum to zero', () => {
    expect(() => convexCombination([{ hits: [], weight: 0 }])).toThrow('convex fusion: the weights must sum to more than 0');
  });
});
