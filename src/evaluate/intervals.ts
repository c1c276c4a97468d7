import type { Interval, PerQuestion } from '../summary/schema.ts';
import { MEAN_METRICS } from './score.ts';
import { aurocInterval, meanInterval, ratioInterval, type BootstrapSettings, type Estimate } from '../stats/index.ts';

export { MEAN_METRICS };

/** Statistics settings as summary.json records them (`settings.statistics`). */
export type StatisticsSettings = Pick<BootstrapSettings, 'confidence' | 'resamples' | 'seed'>;

const interval = (e: Estimate | null): Interval | null => (e === null ? null : { low: e.low, high: e.high });

/**
 * The top-1 score of each question for noAnswerAuroc: a question with no hit ranks below every
 * scored one (as `noAnswerAuroc` in score.ts does), so the interval is of the same figure.
 */
export function topScoresWithFloor(topScore: readonly (number | null)[]): number[] {
  const finite = topScore.filter((s): s is number => s !== null && Number.isFinite(s));
  const floor = finite.length === 0 ? 0 : Math.min(...finite) - 1;
  return topScore.map((s) => (s !== null && Number.isFinite(s) ? s : floor));
}

/**
 * Bootstrap intervals (over questions, settings.statistics) of every accuracy metric the
 * per-question record allows, keyed by the accuracy field name: the means in MEAN_METRICS,
 * citationFaithfulness as the ratio Σ citationsVerified / Σ citations, and noAnswerAuroc from
 * topScore with answerable = semanticAccuracy not null. A metric without data (e.g. no answer
 * citation at all, or only one class for the AUROC) gets no interval.
 */
export function accuracyIntervals(perQuestion: PerQuestion, statistics: StatisticsSettings): Record<string, Interval> {
  const out: Record<string, Interval> = {};
  const put = (metric: string, i: Interval | null): void => {
    if (i) out[metric] = i;
  };
  for (const metric of MEAN_METRICS) {
    const values = perQuestion[metric];
    if (values) put(metric, interval(meanInterval(values, statistics)));
  }
  const { citations, citationsVerified, topScore, semanticAccuracy } = perQuestion;
  if (citations && citationsVerified) put('citationFaithfulness', interval(ratioInterval(citationsVerified, citations, statistics)));
  if (topScore && semanticAccuracy && topScore.length === semanticAccuracy.length) {
    put('noAnswerAuroc', interval(aurocInterval(topScoresWithFloor(topScore), semanticAccuracy.map((v) => v !== null), statistics)));
  }
  return out;
}
