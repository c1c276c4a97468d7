import { accuracyIntervals, type StatisticsSettings } from '../evaluate/intervals.ts';
import { noAnswerAuroc } from '../evaluate/score.ts';
import { withIntervals } from '../stage-eval/chunking/intervals.ts';
import type { ChunkQuality } from '../stage-eval/chunking/schema.ts';
import { LOSS_STAGES, type LossByStage, type LossStage } from '../stage-eval/loss/schema.ts';
import type { AccuracyStats, PerQuestion } from '../summary/schema.ts';

/** The values that apply (not null), in question order: sums then run as in the unsharded run. */
const present = (xs: readonly (number | null)[] | undefined): number[] => (xs ?? []).filter((x): x is number => x !== null);
const sum = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0);
const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : sum(xs) / xs.length);
const ratio = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);

/**
 * A run's accuracy recomputed from its per-question outcomes (joined from shards), as
 * src/evaluate/score.ts aggregates scored questions: a question is answerable when its
 * semanticAccuracy applies; means over the answerable questions; citation figures from the
 * counts; noAnswerAuroc from topScore; intervals by the same seeded bootstrap. The evidence
 * counts are the shards' sums (a passage group never straddles two shards).
 */
export function accuracyFromPerQuestion(
  k: number,
  pq: PerQuestion,
  evidence: { located: number; fuzzy: number },
  statistics: StatisticsSettings,
): AccuracyStats {
  const semantic = pq.semanticAccuracy ?? [];
  const answerable = present(semantic).length;
  const cited = present(pq.citationAccuracy);
  const citations = sum(present(pq.citations));
  const citationsVerified = sum(present(pq.citationsVerified));
  const topScore = pq.topScore ?? [];
  const answerCitationsCorrect = sum(cited);
  return {
    k,
    citationAccuracy: ratio(answerCitationsCorrect, cited.length),
    answerCitations: cited.length,
    answerCitationsCorrect,
    citationFaithfulness: ratio(citationsVerified, citations),
    citations,
    citationsVerified,
    semanticAccuracy: mean(present(semantic)),
    hitAt1: mean(present(pq.hitAt1)),
    recallAt5: mean(present(pq.recallAt5)),
    recallAt10: mean(present(pq.recallAt10)),
    mrrAt10: mean(present(pq.mrrAt10)),
    ndcgAt10: mean(present(pq.ndcgAt10)),
    ...(pq.passageOverlapAccuracy && { passageOverlapAccuracy: mean(present(pq.passageOverlapAccuracy)) }),
    noAnswerAuroc: noAnswerAuroc(semantic.map((s, i) => ({ answerable: s !== null, topScore: topScore[i] ?? null }))),
    questions: answerable,
    unanswerable: semantic.length - answerable,
    evidenceLocated: evidence.located,
    evidenceFuzzy: evidence.fuzzy,
    intervals: accuracyIntervals(pq, statistics),
  };
}

/** Chunk quality from its joined per-question overlaps (src/stage-eval/chunking/quality.ts's means and counts). */
export function chunkQualityFromPerQuestion(
  k: number,
  perQuestion: ChunkQuality['perQuestion'],
  semantic: readonly (number | null)[],
  statistics: StatisticsSettings,
): ChunkQuality {
  const meanOf = (xs: readonly (number | null)[]): number | null => (present(xs).length === 0 ? null : mean(present(xs)));
  const answerable = present(semantic).length;
  const judged = present(perQuestion.tokenIou).length;
  const quality: ChunkQuality = {
    k,
    questions: judged,
    unanswerable: semantic.length - answerable,
    evidenceNotLocated: answerable - judged,
    tokenPrecision: meanOf(perQuestion.tokenPrecision),
    tokenRecall: meanOf(perQuestion.tokenRecall),
    tokenIou: meanOf(perQuestion.tokenIou),
    perQuestion,
  };
  return withIntervals(quality, statistics);
}

/** Loss by stage from the joined per-question blame (src/stage-eval/loss/breakdown.ts's totals). */
export function lossFromPerQuestion(k: number, perQuestion: (LossStage | null)[], semantic: readonly (number | null)[]): LossByStage {
  const answerable = present(semantic).length;
  const failed = perQuestion.filter((s) => s !== null).length;
  const stages = Object.fromEntries(
    LOSS_STAGES.map((stage) => {
      const n = perQuestion.filter((s) => s === stage).length;
      return [stage, { questions: n, ofFailed: failed === 0 ? 0 : n / failed, ofAnswerable: answerable === 0 ? 0 : n / answerable }];
    }),
  ) as LossByStage['stages'];
  return { k, answerable, failed, stages, perQuestion };
}
