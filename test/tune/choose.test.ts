import { describe, expect, it } from 'vitest';
import { chooseBest, withinInterval, type ScoredCandidate } from '../../src/tune/choose.ts';

const c = (index: number, score: number | null, ndcgAt10: number | null, interval?: [number, number]): ScoredCandidate => ({
  index,
  settings: [{ parameter: 'retriever.denseWeight', value: index / 10 }],
  score,
  ndcgAt10,
  questions: 100,
  ...(interval && { interval: { low: interval[0], high: interval[1] } }),
});

describe('chooseBest', () => {
  it('takes the highest objective', () => {
    expect(chooseBest([c(1, 0.7, 0.9), c(2, 0.8, 0.1), c(3, 0.75, 0.5)])?.index).toBe(2);
  });

  it('breaks a tie by nDCG@10, then by the earlier candidate', () => {
    expect(chooseBest([c(1, 0.8, 0.5), c(2, 0.8, 0.6), c(3, 0.7, 0.9)])?.index).toBe(2);
    expect(chooseBest([c(1, 0.8, 0.6), c(2, 0.8, 0.6)])?.index).toBe(1);
    expect(chooseBest([c(2, 0.8, 0.6), c(1, 0.8, 0.6)])?.index).toBe(1);
  });

  it('never picks a failed candidate; null when all failed', () => {
    expect(chooseBest([c(1, null, null), c(2, 0.1, 0.1)])?.index).toBe(2);
    expect(chooseBest([c(1, null, null)])).toBeNull();
  });
});

describe('withinInterval', () => {
  it('counts the candidates the winner\'s interval cannot tell apart from it', () => {
    const all = [c(1, 0.7, 0.5), c(2, 0.8, 0.5, [0.74, 0.86]), c(3, 0.75, 0.5), c(4, null, null)];
    expect(withinInterval(all, all[1] as ScoredCandidate).map((x) => x.index)).toEqual([2, 3]);
  });
});
