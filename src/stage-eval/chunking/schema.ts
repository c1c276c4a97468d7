/**
 * Chunk quality as it goes into summary.json (`runs[].chunking`, docs/stage-evaluation.md).
 * Tokens are words: runs of letters, digits and combining marks of the extracted text.
 */
import { z } from 'zod';

const share = z.number().min(0).max(1);
const perQuestion = z.array(share.nullable());

export const SizeDistributionSchema = z.object({
  min: z.number(),
  p10: z.number(),
  p50: z.number(),
  p90: z.number(),
  max: z.number(),
  mean: z.number(),
});

/** What the chunker made of the run's corpus. */
export const ChunkShapeSchema = z.object({
  chunks: z.int().min(0),
  /** Chunk length in characters (UTF-16 units of the extracted text) and in words; null without chunks. */
  chars: SizeDistributionSchema.nullable(),
  tokens: SizeDistributionSchema.nullable(),
  /** Chunks whose trimmed start (end) is not a sentence start (end) of src/chunk/sentences.ts. */
  startsMidSentence: z.int().min(0),
  endsMidSentence: z.int().min(0),
  /** Chunks that do either, and their share of all chunks (null without chunks). */
  cutSentence: z.int().min(0),
  cutSentenceShare: share.nullable(),
});

/** Token overlap of each question's top-k chunks with its evidence passages. */
export const ChunkQualitySchema = z.object({
  k: z.int().min(1),
  /** Answerable questions judged: those with evidence tokens located in the extraction. */
  questions: z.int().min(0),
  unanswerable: z.int().min(0),
  /** Answerable questions left out: no evidence passage found verbatim in this extraction. */
  evidenceNotLocated: z.int().min(0),
  /** Means over the judged questions; null when none was judged. */
  tokenPrecision: share.nullable(),
  tokenRecall: share.nullable(),
  tokenIou: share.nullable(),
  /** Aligned with golden.sample.ids; null for a question not judged. Numeric, so they fit runs[].perQuestion. */
  perQuestion: z.object({ tokenPrecision: perQuestion, tokenRecall: perQuestion, tokenIou: perQuestion }),
  /** Bootstrap intervals of the three means over the judged questions (./intervals.ts), by measure name. */
  intervals: z.partialRecord(z.enum(['tokenPrecision', 'tokenRecall', 'tokenIou']), z.object({ low: z.number(), high: z.number() })).optional(),
});

export const ChunkingStageSchema = z.object({
  quality: ChunkQualitySchema,
  shape: ChunkShapeSchema,
});

export type SizeDistribution = z.infer<typeof SizeDistributionSchema>;
export type ChunkShape = z.infer<typeof ChunkShapeSchema>;
export type ChunkQuality = z.infer<typeof ChunkQualitySchema>;
export type ChunkingStage = z.infer<typeof ChunkingStageSchema>;
