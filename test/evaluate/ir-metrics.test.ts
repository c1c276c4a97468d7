import { describe, expect, it } from 'vitest';
import { ndcgAt, questionIrMetrics, recallAt, reciprocalRank, type RankedJudgement } from '../../src/evaluate/ir-metrics.ts';

const miss: RankedJudgement = { covers: [] };
const p = (...covers: number[]): RankedJudgement => ({ covers });

describe('IR metrics on hand-made rankings', () => {
  it('hit@1, MRR and recall for a single passage found at rank 3', () => {
    const hits = [miss, miss, p(0), miss];
    const m = questionIrMetrics(hits, 1);
    expect(m.hitAt1).toBe(0);
    expect(m.mrrAt10).toBeCloseTo(1 / 3);
    expect(m.recallAt5).toBe(1);
    expect(m.recallAt10).toBe(1);
    // DCG = 1/log2(4) = 0.5; ideal = 1.
    expect(m.ndcgAt10).toBeCloseTo(0.5);
  });

  it('a passage split into several chunks is counted once', () => {
    const hits = [p(0), p(0), p(0)];
    expect(recallAt(hits, 2, 5)).toBe(0.5);
    // Only the first chunk gains; ideal ranks two passages at ranks 1 and 2.
    expect(ndcgAt(hits, 2, 10)).toBeCloseTo(1 / (1 + 1 / Math.log2(3)));
  });

  it('recall@5 ignores hits below rank 5 while recall@10 counts them', () => {
    const hits = [miss, miss, miss, miss, miss, p(0)];
    expect(recallAt(hits, 1, 5)).toBe(0);
    expect(recallAt(hits, 1, 10)).toBe(1);
    expect(reciprocalRank(hits, 5)).toBe(0);
    expect(reciprocalRank(hits, 10)).toBeCloseTo(1 / 6);
  });

  it('a perfect ranking scores 1 everywhere; no hits score 0', () => {
    expect(questionIrMetrics([p(0), p(1)], 2)).toEqual({ hitAt1: 1, recallAt5: 1, recallAt10: 1, mrrAt10: 1, ndcgAt10: 1 });
    expect(questionIrMetrics([], 1)).toEqual({ hitAt1: 0, recallAt5: 0, recallAt10: 0, mrrAt10: 0, ndcgAt10: 0 });
  });

  it('no evidence passages: recall and nDCG are 0, not NaN', () => {
    expect(recallAt([p(0)], 0, 5)).toBe(0);
    expect(ndcgAt([p(0)], 0, 10)).toBe(0);
  });
});
