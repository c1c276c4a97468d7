import { z } from 'zod';

/**
 * summary.json: the contract between running and judging. The runner writes it; the report
 * and the gate are pure functions of it (and of a baseline). Later schema versions only add
 * fields; `schema` names the version.
 */
export const SUMMARY_SCHEMA = 'ragbench-summary/1';

export const MachineSchema = z.object({
  cpus: z.number().int(),
  cpuModel: z.string(),
  memoryBytes: z.number(),
  node: z.string(),
  os: z.string(),
  hostname: z.string(),
});

export const RunConfigSchema = z.object({
  extractor: z.string(),
  chunker: z.string(),
  /** "none" for BM25. */
  embedder: z.string(),
  /** "none" for BM25. */
  store: z.string(),
  /** dense | bm25 | hybrid */
  retriever: z.string(),
});

export const FailedFileSchema = z.object({ file: z.string(), reason: z.string() });

export const IngestSchema = z.object({
  documents: z.number().int(),
  pages: z.number().int(),
  chunks: z.number().int(),
  seconds: z.number(),
  pagesPerSecond: z.number(),
  chunksPerSecond: z.number(),
  /** Embeddings computed by the model in this run (cache misses) and their rate. */
  embeddings: z.number().int(),
  embeddingsPerSecond: z.number(),
  embeddingCacheHits: z.number().int(),
  failed: z.array(FailedFileSchema),
  warnings: z.array(z.string()),
});

export const AccuracySchema = z.object({
  k: z.number().int(),
  citationAccuracy: z.number(),
  citations: z.number().int(),
  citationsVerified: z.number().int(),
  semanticAccuracy: z.number(),
  hitAt1: z.number(),
  recallAt5: z.number(),
  recallAt10: z.number(),
  mrrAt10: z.number(),
  ndcgAt10: z.number(),
  /** Answerable questions scored; evidence passages located exactly vs. by token overlap. */
  questions: z.number().int(),
  evidenceLocated: z.number().int(),
  evidenceFuzzy: z.number().int(),
});

export const LatencySchema = z.object({
  samples: z.number().int(),
  p50Ms: z.number(),
  p95Ms: z.number(),
  p99Ms: z.number(),
  maxMs: z.number(),
  meanMs: z.number(),
  /** p95 of each measurement round: their spread is the run-to-run noise the gate allows for. */
  roundP95Ms: z.array(z.number()),
});

export const RoutingSchema = z.object({
  doc: z.string(),
  extractor: z.string(),
  reason: z.string(),
});

export const RunResultSchema = z.object({
  id: z.string(),
  config: RunConfigSchema,
  status: z.enum(['completed', 'errored']),
  error: z.string().optional(),
  ingest: IngestSchema.optional(),
  accuracy: AccuracySchema.optional(),
  latency: LatencySchema.optional(),
  memory: z.object({ peakRssBytes: z.number() }).optional(),
  routing: z.array(RoutingSchema).optional(),
});

/** The gate's judgement of a summary (written by `ragbench run --gate`); see src/gate. */
export const GateCheckSchema = z.object({
  name: z.string(),
  /** A metric path into a run, e.g. "latency.p95Ms"; "status" for the run-completed check. */
  metric: z.string(),
  op: z.enum(['<', '<=', '>', '>=', '==', '!=']),
  threshold: z.union([z.number(), z.string()]),
  /** null when the run did not measure the metric. */
  value: z.union([z.number(), z.string(), z.null()]),
  run: z.string(),
  pass: z.boolean(),
  status: z.enum(['pass', 'fail', 'not-measured']),
  /** Where the rule came from: production defaults, the thresholds, a baseline comparison, or the run itself. */
  source: z.enum(['default', 'thresholds', 'baseline', 'run']),
  detail: z.string().optional(),
});

/** A regression against the baseline beyond its tolerance (and beyond the measured noise). */
export const RollbackTriggerSchema = z.object({
  run: z.string(),
  metric: z.string(),
  baseline: z.number(),
  value: z.number(),
  /** As written: "-0.01" (may drop 0.01 absolute) or "+20%" (may grow 20 %). */
  tolerance: z.string(),
  /** The worst value still accepted: baseline and tolerance, widened by the noise allowance. */
  limit: z.number(),
  /** The run-to-run spread allowed for (latency metrics), in the metric's unit. */
  noise: z.number().optional(),
  samples: z.object({ baseline: z.number().int(), current: z.number().int() }).optional(),
  message: z.string(),
});

export const VerdictSchema = z.object({
  decision: z.enum(['GO', 'NO-GO']),
  checks: z.array(GateCheckSchema),
  triggers: z.array(RollbackTriggerSchema),
  warnings: z.array(z.string()),
  /** The summary compared against, when there was one. */
  baseline: z.object({ runId: z.string(), startedAt: z.string() }).optional(),
});

export const SummarySchema = z.object({
  schema: z.literal(SUMMARY_SCHEMA),
  runId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  machine: MachineSchema,
  versions: z.record(z.string(), z.string()),
  suite: z.object({ name: z.string(), file: z.string() }),
  golden: z.object({
    name: z.string(),
    path: z.string(),
    documents: z.number().int(),
    questions: z.number().int(),
    answerable: z.number().int(),
  }),
  settings: z.object({
    k: z.number().int(),
    latencySamples: z.number().int(),
    relevance: z.string(),
  }),
  runs: z.array(RunResultSchema),
  verdict: VerdictSchema.optional(),
});

export type Machine = z.infer<typeof MachineSchema>;
export type RunConfig = z.infer<typeof RunConfigSchema>;
export type IngestStats = z.infer<typeof IngestSchema>;
export type AccuracyStats = z.infer<typeof AccuracySchema>;
export type LatencyStats = z.infer<typeof LatencySchema>;
export type Routing = z.infer<typeof RoutingSchema>;
export type RunResult = z.infer<typeof RunResultSchema>;
export type Summary = z.infer<typeof SummarySchema>;
export type GateCheck = z.infer<typeof GateCheckSchema>;
export type RollbackTrigger = z.infer<typeof RollbackTriggerSchema>;
export type Verdict = z.infer<typeof VerdictSchema>;

/** One line of queries.jsonl: a question of one run, its hits and how each was judged. */
export const QueryRecordSchema = z.object({
  run: z.string(),
  questionId: z.string(),
  question: z.string(),
  answerable: z.boolean(),
  answers: z.array(z.string()),
  evidence: z.array(z.object({ doc: z.string(), page: z.number(), pageEnd: z.number(), text: z.string() })),
  hits: z.array(
    z.object({
      rank: z.number().int(),
      score: z.number(),
      chunkId: z.string(),
      citation: z.object({
        doc: z.string(),
        page: z.number().int(),
        pageEnd: z.number().int(),
        charStart: z.number().int(),
        charEnd: z.number().int(),
        quote: z.string(),
      }),
      relevant: z.boolean(),
      containsAnswer: z.boolean(),
      citationVerified: z.boolean(),
    }),
  ),
  /** Per-metric outcome; absent metrics do not apply (e.g. IR metrics for unanswerable questions). */
  metrics: z.record(z.string(), z.number()),
  failed: z.array(z.string()),
  searchMs: z.number(),
});
export type QueryRecord = z.infer<typeof QueryRecordSchema>;
