/**
 * Where a run lost accuracy, as it goes into summary.json (`runs[].loss`,
 * docs/stage-evaluation.md): each answerable question that no top-k hit supports is blamed
 * on one stage.
 */
import { z } from 'zod';

export const LOSS_STAGES = ['extraction', 'chunking', 'retrieval'] as const;
export const LossStageSchema = z.enum(LOSS_STAGES);

const share = z.number().min(0).max(1);

export const StageLossSchema = z.object({
  questions: z.int().min(0),
  /** Of the failed questions (the three sum to 1; 0 when none failed). */
  ofFailed: share,
  /** Of the answerable questions: the semantic accuracy this stage cost. */
  ofAnswerable: share,
});

export const LossByStageSchema = z.object({
  k: z.int().min(1),
  answerable: z.int().min(0),
  /** Answerable questions with semanticAccuracy 0. */
  failed: z.int().min(0),
  stages: z.object({ extraction: StageLossSchema, chunking: StageLossSchema, retrieval: StageLossSchema }),
  /** Aligned with golden.sample.ids: the stage blamed, null for a question answered or unanswerable. */
  perQuestion: z.array(LossStageSchema.nullable()),
});

export type LossStage = z.infer<typeof LossStageSchema>;
export type StageLoss = z.infer<typeof StageLossSchema>;
export type LossByStage = z.infer<typeof LossByStageSchema>;
