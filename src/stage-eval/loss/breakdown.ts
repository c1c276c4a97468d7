/** Loss by stage for one run: every failed answerable question blamed on a stage, and the totals. */
import type { Chunk } from '../../chunk/types.ts';
import type { GoldenQuestion } from '../../evaluate/golden.ts';
import type { RelevanceJudge } from '../../evaluate/relevance.ts';
import { lossStage } from './attribute.ts';
import { ChunkIndex } from './chunk-index.ts';
import { LOSS_STAGES, type LossByStage, type LossStage, type StageLoss } from './schema.ts';

export type LossQuestion = Pick<GoldenQuestion, 'answerable' | 'answers' | 'evidence'>;

export interface LossInput {
  k: number;
  /** The scored questions, in scoring order (golden.sample.ids). */
  questions: readonly LossQuestion[];
  /** perQuestion.semanticAccuracy of the run, aligned with `questions` (null: unanswerable). */
  semanticAccuracy: readonly (number | null)[];
  /** Every chunk the run indexed. */
  chunks: readonly Chunk[];
  /** The judge that scored the run (its extractions, its located passages). */
  judge: RelevanceJudge;
}

export function lossByStage({ k, questions, semanticAccuracy, chunks, judge }: LossInput): LossByStage {
  if (semanticAccuracy.length !== questions.length) {
    throw new Error(`loss by stage: ${semanticAccuracy.length} semanticAccuracy values for ${questions.length} questions`);
  }
  const index = new ChunkIndex(chunks);
  const perQuestion: (LossStage | null)[] = questions.map((q, i) =>
    q.answerable && semanticAccuracy[i] === 0 ? lossStage(q, judge, index) : null,
  );
  const answerable = questions.filter((q) => q.answerable).length;
  const failed = perQuestion.filter((s) => s !== null).length;
  const loss = (stage: LossStage): StageLoss => {
    const n = perQuestion.filter((s) => s === stage).length;
    return { questions: n, ofFailed: failed === 0 ? 0 : n / failed, ofAnswerable: answerable === 0 ? 0 : n / answerable };
  };
  const stages = Object.fromEntries(LOSS_STAGES.map((s) => [s, loss(s)])) as LossByStage['stages'];
  return { k, answerable, failed, stages, perQuestion };
}
