/** The JSON the scale-vectors benchmark writes: one entry per store and size (drawable as cost-vs-size charts). */
import { z } from 'zod';

const latency = z.object({
  samples: z.number().int().nonnegative(),
  meanMs: z.number(),
  p50Ms: z.number(),
  p95Ms: z.number(),
  p99Ms: z.number(),
  maxMs: z.number(),
});

export const progressPoint = z.object({ inserted: z.number().int().nonnegative(), seconds: z.number().nonnegative() });
export type ProgressPoint = z.infer<typeof progressPoint>;

export const scaleVectorEntry = z.object({
  store: z.string(),
  /** Vectors asked for (100k, 1M). */
  target: z.number().int().positive(),
  /** complete; partial = the insert budget ran out (figures are at `inserted`); not-run / failed / skipped with `reason`. */
  status: z.enum(['complete', 'partial', 'not-run', 'failed', 'skipped']),
  reason: z.string().optional(),
  inserted: z.number().int().nonnegative(),
  /** Inserts plus any index build left for the end: the time until the store answers as built. */
  buildSeconds: z.number().nonnegative().optional(),
  /** Of buildSeconds: the one index build after a bulk load (pgvector). */
  indexSeconds: z.number().nonnegative().optional(),
  /** How the store was loaded, when not upsert by upsert. */
  loading: z.string().optional(),
  insertPerSecond: z.number().nonnegative().optional(),
  /** Cumulative inserts over time: the insert-rate curve. */
  progress: z.array(progressPoint),
  memory: z
    .object({
      kind: z.enum(['process-rss', 'server-rss', 'server-group-pss']),
      beforeBytes: z.number(),
      afterBytes: z.number(),
      deltaBytes: z.number(),
      peakBytes: z.number(),
    })
    .optional(),
  disk: z.object({ bytes: z.number(), what: z.string(), parts: z.record(z.string(), z.number()).optional(), saveSeconds: z.number() }).optional(),
  recallAt10: z.number().min(0).max(1).optional(),
  /** How the ground truth was computed. */
  truth: z.string().optional(),
  query: latency.optional(),
  budgetSeconds: z.number().positive(),
  /** 1-minute load average when the worker started and ended (2 cores, shared with other jobs). */
  loadAverage: z.object({ atStart: z.number(), atEnd: z.number() }).optional(),
});
export type ScaleVectorEntry = z.infer<typeof scaleVectorEntry>;

export const scaleVectorsDocument = z.object({
  schema: z.literal('ragbench-scale-vectors/1'),
  startedAt: z.string(),
  command: z.string(),
  machine: z.object({ cpus: z.number(), cpuModel: z.string(), memoryGiB: z.number(), node: z.string(), platform: z.string() }),
  data: z.object({ dimensions: z.number(), clusters: z.number(), spread: z.number(), seed: z.number(), queries: z.number() }),
  entries: z.array(scaleVectorEntry),
});
export type ScaleVectorsDocument = z.infer<typeof scaleVectorsDocument>;
