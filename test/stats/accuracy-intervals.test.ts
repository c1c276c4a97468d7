import { describe, expect, it } from 'vitest';
import { accuracyIntervals, MEAN_METRICS, topScoresWithFloor } from '../../src/evaluate/intervals.ts';
import { auroc } from '../../src/stats/auroc.ts';
import { meanInterval, ratioInterval } from '../../src/stats/intervals.ts';
import { normals, outcomes } from './synthetic.ts';

const statistics = { confidence: 0.95, resamples: 1000, seed: 17 };

/** A run's per-question record on 300 questions: 200 answerable, 100 not (nulls there). */
function perQuestion() {
  const answerable = (i: number) => i % 3 !== 2;
  const semantic = outcomes(300, 170, 1);
  const graded = normals(300, 2, 0.7, 0.2).map((x) => Math.min(1, Math.max(0, x)));
  const onAnswerable = (xs: number[]) => xs.map((x, i) => (answerable(i) ? x : null));
  const scores = normals(300, 3).map((z, i) => z + (answerable(i) ? 0.3 : 0));
  return {
    semanticAccuracy: onAnswerable(semantic),
    citationAccuracy: onAnswerable(semantic).map((x, i) => (x === 1 ? (i % 7 === 0 ? 0 : 1) : null)),
    hitAt1: onAnswerable(outcomes(300, 120, 4)),
    recallAt5: onAnswerable(graded),
    recallAt10: onAnswerable(graded),
    mrrAt10: onAnswerable(graded),
    ndcgAt10: onAnswerable(graded),
    passageOverlapAccuracy: onAnswerable(outcomes(300, 150, 5)),
    citations: semantic.map(() => 5),
    citationsVerified: semantic.map((_, i) => (i % 11 === 0 ? 4 : 5)),
    topScore: scores.map((s, i) => (i === 5 ? null : s)),
  };
}

describe('accuracyIntervals', () => {
  it('gives every accuracy metric an interval around its value, keyed by the accuracy field name', () => {
    const pq = perQuestion();
    const intervals = accuracyIntervals(pq, statistics);
    expect(Object.keys(intervals).sort()).toEqual([...MEAN_METRICS, 'citationFaithfulness', 'noAnswerAuroc'].sort());
    for (const metric of MEAN_METRICS) {
      const values = (pq[metric] as (number | null)[]).filter((v): v is number => v !== null);
      const value = values.reduce((a, b) => a + b, 0) / values.length;
      const i = intervals[metric];
      expect(i?.low, metric).toBeLessThanOrEqual(value);
      expect(i?.high, metric).toBeGreaterThanOrEqual(value);
      expect(i).toEqual({ low: meanInterval(pq[metric], statistics)?.low, high: meanInterval(pq[metric], statistics)?.high });
    }
    const faithful = ratioInterval(pq.citationsVerified, pq.citations, statistics);
    expect(intervals.citationFaithfulness).toEqual({ low: faithful?.low, high: faithful?.high });
    const value = auroc(topScoresWithFloor(pq.topScore), pq.semanticAccuracy.map((v) => v !== null)) as number;
    expect(intervals.noAnswerAuroc?.low).toBeLessThan(value);
    expect(intervals.noAnswerAuroc?.high).toBeGreaterThan(value);
    // 300 questions: a 95 % interval of a proportion near 0.85 is a few points wide, not 0 and not 0.5.
    const width = (intervals.semanticAccuracy?.high ?? 0) - (intervals.semanticAccuracy?.low ?? 0);
    expect(width).toBeGreaterThan(0.05);
    expect(width).toBeLessThan(0.2);
  });

  it('ranks a question without hits below every scored one, and leaves out metrics without data', () => {
    expect(topScoresWithFloor([0.5, null, 0.2])).toEqual([0.5, 0.2 - 1, 0.2]);
    const only = accuracyIntervals({ semanticAccuracy: [null, null], citationAccuracy: [1, 0] }, statistics);
    expect(Object.keys(only)).toEqual(['citationAccuracy']);
  });
});
