import { z } from 'zod';
import { MigrationResultSchema } from '../migrate/schema.ts';
import { MIGRATION_SCENARIOS } from '../migrate/suite-settings.ts';
import { AuditRecordSchema } from '../watch/schema.ts';
import { scaleVectorsDocument } from '../scale/vectors-schema.ts';
import { ChunkingStageSchema } from '../stage-eval/chunking/schema.ts';
import { LossByStageSchema } from '../stage-eval/loss/schema.ts';
import { ExtractionResultSchema } from '../stage-eval/extraction/schema.ts';

/**
 * summary.json: the contract between running and judging. The runner writes it; the report
 * and the gate are pure functions of it (and of a baseline). `schema` names the version.
 *
 * Version 2 (this one) changed what `accuracy.citationAccuracy` means (the answer citation
 * points at the gold evidence; v1's "every returned citation verifies" is now
 * `citationFaithfulness`) and judges relevance by answer occurrence, so a v1 summary is not
 * comparable and is refused as a baseline with a message saying so. Within version 2, later
 * changes only add fields.
 */
export const SUMMARY_SCHEMA = 'ragbench-summary/2';
export const SUMMARY_SCHEMA_V1 = 'ragbench-summary/1';

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
  /** Seconds the embedding model ran during ingest (0 when every embedding came from the cache). */
  modelSeconds: z.number(),
  /**
   * Where the ingest's embeddings came from: `model` (all computed), `cache` (all read from the
   * disk cache: the throughput is not the model's), `mixed`, or `none` (no embedder, e.g. BM25).
   */
  embeddingSource: z.enum(['model', 'cache', 'mixed', 'none']),
  failed: z.array(FailedFileSchema),
  warnings: z.array(z.string()),
});

/** A 95 % (or `settings.statistics.confidence`) interval. */
export const IntervalSchema = z.object({ low: z.number(), high: z.number() });

export const AccuracySchema = z.object({
  k: z.number().int(),
  /**
   * Of the answerable questions that have an answer citation (the first top-k hit containing
   * a gold answer), the fraction whose citation verifies through a second extractor, cites
   * the page of the answer's occurrence in the gold evidence, and supports the question.
   */
  citationAccuracy: z.number(),
  answerCitations: z.number().int(),
  answerCitationsCorrect: z.number().int(),
  /** Of every citation returned (top-k of every question), the fraction that verifies (v1's citationAccuracy). */
  citationFaithfulness: z.number(),
  citations: z.number().int(),
  citationsVerified: z.number().int(),
  /** Answerable questions with a top-k hit that supports them (covers a gold answer's occurrence in the evidence). */
  semanticAccuracy: z.number(),
  hitAt1: z.number(),
  recallAt5: z.number(),
  recallAt10: z.number(),
  mrrAt10: z.number(),
  ndcgAt10: z.number(),
  /** v1's rule, kept as its own measure: some top-k hit overlaps an evidence passage by half the shorter span and contains an answer. */
  passageOverlapAccuracy: z.number().optional(),
  /**
   * How well the top-1 retrieval score separates answerable from unanswerable questions
   * (area under the ROC curve, 0.5 = chance); null when the sample has only one kind.
   */
  noAnswerAuroc: z.number().nullable(),
  /** Answerable questions scored; unanswerable questions scored (for noAnswerAuroc). */
  questions: z.number().int(),
  unanswerable: z.number().int(),
  /** Evidence passages located exactly vs. by token overlap; answers located inside their passage. */
  evidenceLocated: z.number().int(),
  evidenceFuzzy: z.number().int(),
  /** 95 % bootstrap intervals over questions (settings.statistics), by metric name (e.g. "semanticAccuracy"). */
  intervals: z.record(z.string(), IntervalSchema),
});

/**
 * Per-question outcomes of one run, aligned with `golden.sample.ids` (index i = that question):
 * what paired tests against another run or a baseline resample. null where a metric does not
 * apply (IR metrics on unanswerable questions; citationAccuracy without an answer citation).
 */
export const PerQuestionSchema = z.record(z.string(), z.array(z.number().nullable()));

export const LatencySchema = z.object({
  samples: z.number().int(),
  p50Ms: z.number(),
  p95Ms: z.number(),
  p99Ms: z.number(),
  maxMs: z.number(),
  meanMs: z.number(),
  /** p95 of each measurement round (every round asks the same questions). */
  roundP95Ms: z.array(z.number()),
  /** Every timed query in order (ms, 3 decimals): what the gate's bootstrap of the p95 difference resamples. */
  samplesMs: z.array(z.number()).optional(),
  /**
   * A fixed reference workload timed in the same process before each round and again within it
   * (one point per 25 queries, at most 8 a round; ms each time): how fast the machine was while the
   * queries ran, so latency can be compared across runs as a ratio to it. `workload` names it.
   */
  calibration: z.object({ workload: z.string(), samplesMs: z.array(z.number()) }).optional(),
});

const PercentilesSchema = z.object({ p50: z.number().nullable(), p95: z.number().nullable() });

/** How each backend of a consensus store stood at the end of a run. */
export const ConsensusBackendSchema = z.object({
  name: z.string(),
  store: z.string(),
  /** Faults injected into it by the suite (`faulty`), in words; empty for a plain backend. */
  faults: z.array(z.string()),
  baseWeight: z.number(),
  weight: z.number(),
  trust: z.number(),
  suspect: z.boolean(),
  /** Queries it took for the backend to be flagged suspect; null if it never was. */
  flaggedAfterQueries: z.number().int().nullable(),
  answered: z.number().int(),
  dissents: z.number().int(),
  timeouts: z.number().int(),
  failures: z.number().int(),
  skippedBehind: z.number().int(),
  behind: z.boolean(),
  latencyMs: PercentilesSchema,
});

export const ReconcileSchema = z.object({
  expected: z.number().int(),
  chunksLost: z.number().int(),
  lostIds: z.array(z.string()),
  consistent: z.boolean(),
  failure: z.string().nullable(),
  backends: z.array(
    z.object({
      backend: z.string(),
      reachable: z.boolean(),
      error: z.string().optional(),
      count: z.number().int(),
      missing: z.array(z.string()),
      missingCount: z.number().int(),
      extra: z.array(z.string()),
      extraCount: z.number().int(),
      walPending: z.number().int(),
    }),
  ),
});

/**
 * A run whose store is the consensus router (docs/consensus.md): agreement, quorum, per-backend
 * trust, writes and the reconciliation after ingest. `version` versions this section.
 */
export const ConsensusRunSchema = z.object({
  version: z.literal(1),
  /** Fraction of the configured weight that had to agree (query.quorum). */
  quorum: z.number(),
  queries: z.number().int(),
  /** Mean per-query agreement (weighted overlap of the answering backends with the merged top-k). */
  agreement: z.number().nullable(),
  /** Fraction of queries whose merged top-k met the quorum. */
  answeredFraction: z.number().nullable(),
  noQuorum: z.number().int(),
  unanswered: z.number().int(),
  latencyMs: PercentilesSchema,
  perBackend: z.array(ConsensusBackendSchema),
  writes: z.object({
    batches: z.number().int(),
    retries: z.number().int(),
    walAppends: z.number().int(),
    walReplayed: z.number().int(),
    walPending: z.number().int(),
  }),
  reconcile: ReconcileSchema.nullable(),
  /** Chunks no backend holds after catch-up (the reconciliation after ingest); null when none ran. */
  chunksLost: z.number().int().nullable(),
  /**
   * Consensus query p95 over the p95 of its slowest healthy backend (answered every query it was
   * asked, never suspect), minus 1, both measured in this run: what the vote costs. null: no healthy backend.
   */
  overheadP95VsSlowestHealthy: z.number().nullable(),
  /** Fraction of questions whose top-k ids equal the suite's fault-free run's (`faultFree:`); null without one. */
  identicalToFaultFree: z.number().nullable(),
  faultFreeRun: z.string().nullable(),
});

/**
 * The vector store measured on its own (suites that set `backends:`): recall@10 of its answers
 * against exact search over the same vectors, and queries/s at a fixed concurrency with
 * pre-embedded questions (no model time), as public vector-database benchmarks report.
 */
export const BackendRunSchema = z.object({
  version: z.literal(1),
  /** Registry name of the store. */
  store: z.string(),
  vectors: z.number().int(),
  /** Mean over the questions of |top-10 ∩ exact top-10| / |exact top-10|. */
  recallAt10VsExact: z.number().nullable(),
  throughput: z
    .object({
      concurrency: z.number().int(),
      queries: z.number().int(),
      seconds: z.number(),
      queriesPerSecond: z.number(),
      p50Ms: z.number(),
      p95Ms: z.number(),
      p99Ms: z.number(),
      errors: z.number().int(),
    })
    .nullable(),
});

/** Latency percentiles of one load step, read from one HDR histogram of every response (never averaged). */
export const LoadLatencySchema = z.object({
  p50Ms: z.number(),
  p95Ms: z.number(),
  p99Ms: z.number(),
  maxMs: z.number(),
  meanMs: z.number(),
});

/** The service's own figures over one load step (GET /stats after POST /stats/reset). */
export const LoadServerSchema = z.object({
  /** Result-cache hits / (hits + misses); null when the step asked no cacheable query. */
  hitRatio: z.number().nullable(),
  hits: z.number().int(),
  misses: z.number().int(),
  /** Pipeline queries computed (misses that did not join an identical one in flight, and bypasses). */
  computed: z.number().int(),
  /** 503: over maxConcurrentQueries. */
  rejected: z.number().int(),
  /** 504: over the request timeout. */
  timedOut: z.number().int(),
  /** Server-side time to answer, by cache status (arrival to answer; p95 from the server's HDR histogram). */
  hitP95Ms: z.number().nullable(),
  missP95Ms: z.number().nullable(),
  /** Where a computed query spends its time (server-side p50 per stage). */
  stageP50Ms: z.object({ embed: z.number().nullable(), search: z.number().nullable(), merge: z.number().nullable() }),
  rssBytes: z.number(),
  /** Event-loop delay beyond the monitor's resolution, over the step. */
  eventLoopDelayMs: z.object({ p50: z.number(), p99: z.number(), max: z.number() }),
  /** Server CPU time over the step's wall time (1 = one core busy). */
  cpuCores: z.number(),
});

/** One load step: one query mix (or /health) at one concurrency, driven by autocannon over loopback. */
export const LoadStepSchema = z.object({
  /** `health`: GET /health (the ceiling); `zipf`: golden questions repeated Zipf-like; `unique`: each asked once; `hits`: questions already cached. */
  mix: z.enum(['health', 'zipf', 'unique', 'hits']),
  concurrency: z.int(),
  seconds: z.number(),
  /** Responses received (any status). */
  requests: z.int(),
  /** Responses per second over the step. */
  rps: z.number(),
  latencyMs: LoadLatencySchema,
  /** Connection errors, timeouts (no answer within autocannon's timeout), answers other than 2xx. */
  errors: z.int(),
  timeouts: z.int(),
  non2xx: z.int(),
  /** Responses per status code. */
  statusCodes: z.record(z.string(), z.int()),
  /** rps over the /health step's rps at the same concurrency in this run: comparable across machines. null for /health itself. */
  ceilingRatio: z.number().nullable(),
  /** The step's HDR histogram (µs), base64-compressed: shards merge histograms, never percentiles. */
  histogram: z.string(),
  /** What ended the step: its request bound (zipf: the same questions every run) or its time bound. */
  boundedBy: z.enum(['requests', 'time']).optional(),
  server: LoadServerSchema.nullable(),
});

/** A soak: moderate load for minutes, with the service's RSS sampled to bound its growth. */
export const SoakSchema = z.object({
  mix: z.enum(['zipf', 'unique', 'hits']),
  concurrency: z.int(),
  seconds: z.number(),
  requests: z.int(),
  rps: z.number(),
  errors: z.int(),
  non2xx: z.int(),
  /** [seconds since start, RSS bytes] every sample. */
  rss: z.array(z.tuple([z.number(), z.number()])),
  /** Median RSS of the last fifth of the samples minus that of the first fifth. */
  rssGrowthBytes: z.number(),
  /** Least-squares slope of RSS over the soak. */
  rssSlopeBytesPerMinute: z.number(),
  /** The bound the suite states (load.soak.rssGrowthMaxMiB). */
  rssGrowthBoundBytes: z.number(),
  /** rssGrowthBytes / rssGrowthBoundBytes: at most 1 passes (gate: load.soak.growthOfBound). */
  growthOfBound: z.number(),
});

/**
 * The service under load (suites that set `load:`): `ragbench serve` started for the run's
 * pipeline and driven by autocannon. The scalars are the gated step's figures (the zipf mix at
 * `gateAt` connections); `steps` has every mix at every concurrency. `version` versions this section.
 */
export const LoadRunSchema = z.object({
  version: z.literal(1),
  /** The concurrency whose zipf step the gate judges. */
  gateAt: z.int(),
  p50Ms: z.number(),
  p95Ms: z.number(),
  p99Ms: z.number(),
  rps: z.number(),
  /** (errors + timeouts + non-2xx) / requests at the gated step. */
  errorRate: z.number(),
  /** rps of the gated step over /health's at the same concurrency. */
  ceilingRatio: z.number().nullable(),
  /** A seeded uniform sample of the gated step's latencies (ms): what the gate's bootstrap resamples. */
  samplesMs: z.array(z.number()),
  /**
   * GET /health at the gated concurrency, sampled the same way: how fast this machine answered
   * HTTP during the run, so a baseline comparison of load latencies divides it out.
   */
  calibration: z.object({ workload: z.string(), samplesMs: z.array(z.number()) }).optional(),
  /** The highest /health rps of the run: this machine's ceiling with the load generator on the same cores. */
  healthCeilingRps: z.number(),
  /** The unique mix's highest rps (every query computed), and the stage with the largest server-side time at it. */
  saturation: z.object({ rps: z.number(), concurrency: z.int(), boundBy: z.string().nullable() }).nullable(),
  steps: z.array(LoadStepSchema),
  soak: SoakSchema.nullable(),
  /** How the service ran: its config (as written for this run) and how long it took to become ready. */
  service: z.object({ configFile: z.string(), readySeconds: z.number(), maxConcurrentQueries: z.int(), cacheMaxBytes: z.int(), embedWorkers: z.int().optional() }),
  zipf: z.object({ exponent: z.number(), questions: z.int(), seed: z.int() }),
});

/** The result cache under load: hit ratio of the zipf mix, client-side latency of pure hits, server-side miss time. */
export const CacheRunSchema = z.object({
  version: z.literal(1),
  gateAt: z.int(),
  /** Server-counted hit ratio of the zipf mix at `gateAt` (after the warm-up). */
  hitRatio: z.number().nullable(),
  /** Client-side latency of the hits mix at `gateAt` (HTTP round trip included). */
  hitP50Ms: z.number(),
  hitP95Ms: z.number(),
  hitP99Ms: z.number(),
  hitRps: z.number(),
  /** A seeded uniform sample of those hit latencies (ms), for the gate's bootstrap. */
  hitSamplesMs: z.array(z.number()),
  /** Client-side latency of the unique mix at `gateAt` (every query computed). */
  missP50Ms: z.number().nullable(),
  missP95Ms: z.number().nullable(),
});

/**
 * A migration run (suites with `migration:`): the validation after the migration finished,
 * with the fault scenario and what it injected (docs/migration.md). `lostRecords` is gated.
 */
export const MigrationRunSchema = MigrationResultSchema.extend({
  scenario: z.enum(MIGRATION_SCENARIOS),
  /** What was injected and when, one sentence each; empty for `plain`. */
  injected: z.array(z.string()),
  /** row-corrupted: what the validation right after the corruption found (it must name the row). */
  detected: z.object({ mismatched: z.int(), examples: z.array(z.string()), problems: z.array(z.string()) }).optional(),
});

export const RoutingSchema = z.object({
  doc: z.string(),
  extractor: z.string(),
  reason: z.string(),
});

export const RunResultSchema = z.object({
  /** The full configuration label; how a baseline's runs are matched. */
  id: z.string(),
  /** A short name for tables and charts: the suite's, or derived (`bm25·fixed1000`). */
  name: z.string(),
  config: RunConfigSchema,
  /**
   * `interrupted`: stopped (Ctrl-C, crash) before it finished; nothing it measured is kept.
   * `skipped`: not run, for a stated reason (e.g. a hosted backend without credentials) — never faked.
   */
  status: z.enum(['completed', 'errored', 'interrupted', 'skipped']),
  error: z.string().optional(),
  ingest: IngestSchema.optional(),
  accuracy: AccuracySchema.optional(),
  perQuestion: PerQuestionSchema.optional(),
  latency: LatencySchema.optional(),
  /** Peak resident set size; `scope: run` when the run had a process of its own, else process-wide. */
  memory: z.object({ peakRssBytes: z.number(), scope: z.enum(['run', 'process']) }).optional(),
  routing: z.array(RoutingSchema).optional(),
  consensus: ConsensusRunSchema.optional(),
  backend: BackendRunSchema.optional(),
  load: LoadRunSchema.optional(),
  cache: CacheRunSchema.optional(),
  migration: MigrationRunSchema.optional(),
  /** The retrieved chunks against the evidence (token precision, recall, IoU) and the chunker's output (docs/stage-evaluation.md). */
  chunking: ChunkingStageSchema.optional(),
  /** Each failed answerable question blamed on extraction, chunking or retrieval. */
  loss: LossByStageSchema.optional(),
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
  status: z.enum(['pass', 'fail', 'warn', 'not-measured']),
  /** Where the rule came from: production defaults, the thresholds, a baseline comparison, or the run itself. */
  source: z.enum(['default', 'thresholds', 'baseline', 'run', 'watch']),
  detail: z.string().optional(),
  /** `fail` that does not block the decision in this gate mode (e.g. a target miss at night). */
  blocking: z.boolean().optional(),
  /** For comparisons: the statistical test behind the decision. */
  test: z
    .object({
      method: z.string(),
      pValue: z.number().nullable(),
      interval: IntervalSchema.optional(),
      level: z.number(),
      significant: z.boolean(),
    })
    .optional(),
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
  /** The paired or bootstrap test that found the regression significant. */
  test: z.object({ method: z.string(), pValue: z.number().nullable(), interval: IntervalSchema.optional(), level: z.number() }).optional(),
  message: z.string(),
});

export const VerdictSchema = z.object({
  decision: z.enum(['GO', 'NO-GO']),
  /** predeploy: targets and regressions block; nightly: regressions block, target misses warn; local: both block. */
  mode: z.enum(['local', 'nightly', 'predeploy']).optional(),
  checks: z.array(GateCheckSchema),
  triggers: z.array(RollbackTriggerSchema),
  warnings: z.array(z.string()),
  /** The summary compared against, when there was one. */
  baseline: z.object({ runId: z.string(), startedAt: z.string() }).optional(),
});

/** The questions a run scored (summary `golden.sample`). */
export const GoldenSampleSchema = z.object({
  /** Which split of the set was drawn from (golden format `split`); `all` when the set has none or the suite asked for all. */
  split: z.enum(['all', 'dev', 'test']),
  /** `all`: every question of the split; `even`: every (n/size)-th, so each document keeps its share. */
  method: z.enum(['all', 'even']),
  /** Seed of a random method; null for the deterministic ones. */
  seed: z.number().int().nullable(),
  size: z.number().int(),
  answerable: z.number().int(),
  unanswerable: z.number().int(),
  /** Answerable questions whose shortest gold answer has at most 3 characters (matched on token boundaries). */
  shortAnswers: z.number().int(),
  /** Question ids in scoring order: runs' perQuestion arrays are aligned with it. */
  ids: z.array(z.string()),
});

/**
 * Which share of a suite a summary holds (`ragbench run --shard i/n`, docs/sharding.md).
 * `by: configurations`: the runs at these positions of the suite's expanded order;
 * `by: questions` (a suite of one configuration): golden.sample holds this shard's questions
 * and `sample` the whole suite's, which `ragbench merge` restores.
 */
export const ShardSchema = z.object({
  index: z.int().min(1),
  count: z.int().min(1),
  by: z.enum(['configurations', 'questions']),
  /** 0-based positions, in the suite's expanded configuration order, of the runs this shard ran. */
  configurations: z.array(z.int().min(0)),
  /** How many configurations the whole suite expands to. */
  totalConfigurations: z.int().min(0),
  /** by questions: the whole suite's sample. */
  sample: GoldenSampleSchema.optional(),
  /** The suite's `faultFree:` run name, so the merge can compare consensus runs with it across shards. */
  faultFree: z.string().optional(),
});

/** A summary joined from shards by `ragbench merge`: what was split, and each shard's run and machine. */
export const MergedSchema = z.object({
  by: z.enum(['configurations', 'questions']),
  count: z.int().min(1),
  /** Every shard ran on alike machines (cpus, CPU model, memory, Node, OS): latency across unlike machines is not comparable. */
  machinesAlike: z.boolean(),
  shards: z.array(
    z.object({
      index: z.int().min(1),
      runId: z.string(),
      startedAt: z.string(),
      finishedAt: z.string(),
      machine: MachineSchema,
      /** Ids of the runs it ran, and how many questions it scored. */
      runs: z.array(z.string()),
      questions: z.int().min(0),
    }),
  ),
});

export const SummarySchema = z.object({
  schema: z.literal(SUMMARY_SCHEMA),
  runId: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  machine: MachineSchema,
  versions: z.record(z.string(), z.string()),
  suite: z.object({
    name: z.string(),
    file: z.string(),
    /** The run that would be deployed (its name): production targets judge it. */
    candidate: z.string().optional(),
    /** The run now in production (its name), when the suite measures it too. */
    deployed: z.string().optional(),
    /** Where each tuned parameter's value came from (`ragbench tune`), as the suite records it. */
    tuned: z.array(z.object({ parameter: z.string(), value: z.unknown(), source: z.string() })).optional(),
  }),
  golden: z.object({
    name: z.string(),
    path: z.string(),
    documents: z.number().int(),
    /** The whole set. */
    questions: z.number().int(),
    answerable: z.number().int(),
    /** The questions this run scored. */
    sample: GoldenSampleSchema,
  }),
  settings: z.object({
    k: z.number().int(),
    latencySamples: z.number().int(),
    latencyRounds: z.number().int(),
    relevance: z.string(),
    citation: z.string(),
    statistics: z.object({
      /** e.g. "percentile bootstrap over questions". */
      method: z.string(),
      confidence: z.number(),
      resamples: z.number().int(),
      seed: z.number().int(),
    }),
  }),
  runs: z.array(RunResultSchema),
  /** Extraction accuracy of every extractor (suites with `extraction:`, docs/extraction.md). */
  extraction: ExtractionResultSchema.optional(),
  /** This summary is one shard of a suite (`ragbench run --shard i/n`). */
  shard: ShardSchema.optional(),
  /** This summary was joined from shards (`ragbench merge`). */
  merged: MergedSchema.optional(),
  /** Every store at growing sizes (`npm run bench:scale-vectors`, attached by `ragbench report --scale`). */
  scale: scaleVectorsDocument.extend({ file: z.string() }).optional(),
  /** Rollbacks `ragbench watch` fired (its audit log, attached by `ragbench gate|report --audit`): each fails the verdict. */
  rollbacks: z.object({ file: z.string(), records: z.array(AuditRecordSchema) }).optional(),
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
export type Interval = z.infer<typeof IntervalSchema>;
export type ConsensusRun = z.infer<typeof ConsensusRunSchema>;
export type BackendRun = z.infer<typeof BackendRunSchema>;
export type LoadRun = z.infer<typeof LoadRunSchema>;
export type LoadStep = z.infer<typeof LoadStepSchema>;
export type CacheRun = z.infer<typeof CacheRunSchema>;
export type Soak = z.infer<typeof SoakSchema>;
export type MigrationRun = z.infer<typeof MigrationRunSchema>;
export type PerQuestion = z.infer<typeof PerQuestionSchema>;
export type GoldenSample = Summary['golden']['sample'];
export type ShardRecord = z.infer<typeof ShardSchema>;
export type MergedRecord = z.infer<typeof MergedSchema>;

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
      /** Supports the question: covers a gold answer's occurrence inside the located evidence. */
      relevant: z.boolean(),
      /** Contains a gold answer on token boundaries (anywhere, perhaps by coincidence). */
      containsAnswer: z.boolean(),
      citationVerified: z.boolean(),
    }),
  ),
  /** Rank of the answer citation (first top-k hit containing a gold answer), its verdict and why it failed. */
  answerCitation: z
    .object({ rank: z.number().int(), correct: z.boolean(), reason: z.string().optional() })
    .optional(),
  /** Score of the top-1 hit (for noAnswerAuroc). */
  topScore: z.number().nullable().optional(),
  /** Per-metric outcome; absent metrics do not apply (e.g. IR metrics for unanswerable questions). */
  metrics: z.record(z.string(), z.number()),
  failed: z.array(z.string()),
  searchMs: z.number(),
});
export type QueryRecord = z.infer<typeof QueryRecordSchema>;
