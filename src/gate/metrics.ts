import type { RunResult } from '../summary/schema.ts';

/**
 * The metrics a threshold or tolerance may name: a dotted path into one run of summary.json.
 * A path that is not listed here is rejected when thresholds are parsed, so a typo cannot
 * turn into a check that silently never runs. A listed metric that a run does not carry
 * (no cache in this configuration, say) is "not measured" for that run.
 */
export type Better = 'higher' | 'lower';
export type Unit = 'ratio' | 'ms' | 'bytes' | 'count' | 'per-second' | 'seconds';

export interface MetricInfo {
  label: string;
  unit: Unit;
  /** Which way is an improvement; absent for plain counts, which take no default tolerance. */
  better?: Better;
  /** Path of the sample count behind this metric, reported beside latency comparisons. */
  samplesPath?: string;
  /** How a baseline comparison tests this metric (absent: the two values are compared as they are). */
  test?: MetricTest;
}

/**
 * The statistical test behind a baseline comparison:
 * - `binary`: per-question 0/1 outcomes (`perQuestion[key]`), exact McNemar;
 * - `graded`: per-question values in [0, 1], paired bootstrap of the difference of means;
 * - `ratio`: Σ numerator / Σ denominator over questions, paired bootstrap;
 * - `auroc`: noAnswerAuroc from perQuestion.topScore (answerable = semanticAccuracy not null), paired bootstrap;
 * - `quantile`: a quantile of the timed samples (`samples`, default `latency.samplesMs`), bootstrap
 *   of the ratio of the two runs' quantiles, calibrated by `calibration` (default
 *   `latency.calibration`; load steps: `load.calibration`, GET /health timed the same way) when
 *   both runs have it.
 */
export type MetricTest =
  | { kind: 'binary' | 'graded'; key: string }
  | { kind: 'ratio'; numerator: string; denominator: string }
  | { kind: 'auroc' }
  | { kind: 'quantile'; q: number; samples?: string; calibration?: string };

/** Where the latency test finds its samples and calibration. */
export const LATENCY_SAMPLES_PATH = 'latency.samplesMs';
export const LATENCY_CALIBRATION_PATH = 'latency.calibration';

const ratio = (label: string, test?: MetricTest): MetricInfo => ({ label, unit: 'ratio', better: 'higher', ...(test && { test }) });
const binary = (key: string): MetricTest => ({ kind: 'binary', key });
const graded = (key: string): MetricTest => ({ kind: 'graded', key });
const ms = (label: string, extra: Partial<MetricInfo> = {}): MetricInfo => ({
  label,
  unit: 'ms',
  better: 'lower',
  samplesPath: 'latency.samples',
  ...extra,
});

/** A latency measured over HTTP by the load steps: its own samples, calibrated by GET /health at the same concurrency. */
const loadMs = (label: string, samples: string, q: number): MetricInfo => ({
  label,
  unit: 'ms',
  better: 'lower',
  test: { kind: 'quantile', q, samples, calibration: 'load.calibration' },
});

export const METRICS: Readonly<Record<string, MetricInfo>> = {
  'accuracy.citationAccuracy': ratio('citation accuracy', binary('citationAccuracy')),
  'accuracy.citationFaithfulness': ratio('citation faithfulness', { kind: 'ratio', numerator: 'citationsVerified', denominator: 'citations' }),
  'accuracy.semanticAccuracy': ratio('semantic accuracy', binary('semanticAccuracy')),
  'accuracy.passageOverlapAccuracy': ratio('passage overlap accuracy', binary('passageOverlapAccuracy')),
  'accuracy.hitAt1': ratio('hit@1', binary('hitAt1')),
  'accuracy.recallAt5': ratio('recall@5', graded('recallAt5')),
  'accuracy.recallAt10': ratio('recall@10', graded('recallAt10')),
  'accuracy.mrrAt10': ratio('MRR@10', graded('mrrAt10')),
  'accuracy.ndcgAt10': ratio('nDCG@10', graded('ndcgAt10')),
  'accuracy.noAnswerAuroc': ratio('no-answer AUROC', { kind: 'auroc' }),
  'accuracy.citations': { label: 'citations', unit: 'count' },
  'accuracy.citationsVerified': { label: 'citations verified', unit: 'count' },
  'accuracy.answerCitations': { label: 'answer citations', unit: 'count' },
  'accuracy.questions': { label: 'questions scored', unit: 'count' },
  'accuracy.unanswerable': { label: 'unanswerable questions scored', unit: 'count' },
  'latency.p50Ms': ms('p50 latency', { test: { kind: 'quantile', q: 0.5 } }),
  'latency.p95Ms': ms('p95 latency', { test: { kind: 'quantile', q: 0.95 } }),
  'latency.p99Ms': ms('p99 latency', { test: { kind: 'quantile', q: 0.99 } }),
  'latency.maxMs': ms('max latency'),
  'latency.meanMs': ms('mean latency'),
  'latency.samples': { label: 'latency samples', unit: 'count', better: 'higher' },
  'ingest.documents': { label: 'documents ingested', unit: 'count' },
  'ingest.pages': { label: 'pages ingested', unit: 'count' },
  'ingest.chunks': { label: 'chunks', unit: 'count' },
  'ingest.seconds': { label: 'ingest time', unit: 'seconds', better: 'lower' },
  'ingest.pagesPerSecond': { label: 'pages/s', unit: 'per-second', better: 'higher' },
  'ingest.chunksPerSecond': { label: 'chunks/s', unit: 'per-second', better: 'higher' },
  'ingest.embeddingsPerSecond': { label: 'embeddings/s', unit: 'per-second', better: 'higher' },
  'ingest.failed': { label: 'failed files', unit: 'count', better: 'lower' },
  'ingest.warnings': { label: 'ingest warnings', unit: 'count', better: 'lower' },
  'memory.peakRssBytes': { label: 'peak RSS', unit: 'bytes', better: 'lower' },
  // The service under load (suite `load:`): the zipf mix at the gated concurrency, and the cache.
  'load.p50Ms': loadMs('load p50 latency', 'load.samplesMs', 0.5),
  'load.p95Ms': loadMs('load p95 latency', 'load.samplesMs', 0.95),
  'load.p99Ms': loadMs('load p99 latency', 'load.samplesMs', 0.99),
  'load.rps': { label: 'requests/s under load', unit: 'per-second', better: 'higher' },
  'load.errorRate': { label: 'load error rate', unit: 'ratio', better: 'lower' },
  'load.ceilingRatio': ratio('share of the /health ceiling'),
  'load.healthCeilingRps': { label: '/health ceiling', unit: 'per-second', better: 'higher' },
  'load.soak.growthOfBound': { label: 'soak RSS growth / bound', unit: 'ratio', better: 'lower' },
  'load.soak.rssGrowthBytes': { label: 'soak RSS growth', unit: 'bytes', better: 'lower' },
  'cache.hitP50Ms': loadMs('cache hit p50', 'cache.hitSamplesMs', 0.5),
  'cache.hitP95Ms': loadMs('cache hit p95', 'cache.hitSamplesMs', 0.95),
  'cache.hitP99Ms': loadMs('cache hit p99', 'cache.hitSamplesMs', 0.99),
  'cache.hitRatio': ratio('cache hit ratio'),
  'cache.hitRps': { label: 'cache hits/s', unit: 'per-second', better: 'higher' },
  'cache.missP95Ms': { label: 'cache miss p95', unit: 'ms', better: 'lower' },
  'consensus.agreement': ratio('consensus agreement'),
  'consensus.answeredFraction': ratio('queries with a quorum'),
  'consensus.identicalToFaultFree': ratio('top-k identical to fault-free'),
  'consensus.chunksLost': { label: 'chunks lost', unit: 'count', better: 'lower' },
  'consensus.overheadP95VsSlowestHealthy': { label: 'consensus p95 overhead', unit: 'ratio', better: 'lower' },
  'backend.recallAt10VsExact': ratio('recall@10 vs exact'),
  'backend.throughput.queriesPerSecond': { label: 'store queries/s', unit: 'per-second', better: 'higher' },
  'backend.throughput.p95Ms': ms('store p95 at concurrency'),
  // Stage-level evaluation (docs/stage-evaluation.md): informational unless a threshold names them.
  'chunking.quality.tokenPrecision': ratio('chunk token precision'),
  'chunking.quality.tokenRecall': ratio('chunk token recall'),
  'chunking.quality.tokenIou': ratio('chunk token IoU'),
  'chunking.shape.cutSentenceShare': { label: 'chunks cutting a sentence', unit: 'ratio', better: 'lower' },
  'loss.stages.extraction.ofAnswerable': { label: 'accuracy lost to extraction', unit: 'ratio', better: 'lower' },
  'loss.stages.chunking.ofAnswerable': { label: 'accuracy lost to chunking', unit: 'ratio', better: 'lower' },
  'loss.stages.retrieval.ofAnswerable': { label: 'accuracy lost to retrieval', unit: 'ratio', better: 'lower' },
  'migration.lostRecords': { label: 'records lost', unit: 'count', better: 'lower' },
  'migration.missing': { label: 'records missing after migration', unit: 'count', better: 'lower' },
  'migration.mismatched': { label: 'records changed by migration', unit: 'count', better: 'lower' },
  'migration.duplicates': { label: 'duplicate records after migration', unit: 'count', better: 'lower' },
  'migration.orphans': { label: 'orphan records after migration', unit: 'count', better: 'lower' },
  'migration.queryAgreement': ratio('migration top-k agreement'),
  'migration.chunksPerSecond': { label: 'migration chunks/s', unit: 'per-second', better: 'higher' },
  'migration.seconds': { label: 'migration time', unit: 'seconds', better: 'lower' },
};

export function metricInfo(path: string): MetricInfo | undefined {
  return Object.hasOwn(METRICS, path) ? METRICS[path] : undefined;
}

function walk(run: unknown, path: string): unknown {
  let at: unknown = run;
  for (const key of path.split('.')) {
    if (at === null || typeof at !== 'object' || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/**
 * The metric's value in a run, or undefined when the run does not measure it. Arrays count
 * their items, so `ingest.failed` reads as the number of failed files.
 */
export function readMetric(run: RunResult, path: string): number | undefined {
  const v = walk(run, path);
  if (Array.isArray(v)) return v.length;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** An array of numbers at a path (e.g. latency.samplesMs), or undefined when the run has none. */
export function readSeries(run: RunResult, path: string): number[] | undefined {
  const v = walk(run, path);
  return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)) : undefined;
}

/** A metric value for humans: ratios to 3 decimals, times in ms, bytes in MiB. */
export function formatValue(path: string, value: number | string | null): string {
  if (value === null) return 'n/a';
  if (typeof value === 'string') return value;
  const unit = metricInfo(path)?.unit;
  switch (unit) {
    case 'ratio':
      return value.toFixed(3);
    case 'ms':
      return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
    case 'seconds':
      return `${value.toFixed(1)} s`;
    case 'bytes':
      return `${(value / 2 ** 20).toFixed(1)} MiB`;
    case 'per-second':
      return `${value.toFixed(1)}/s`;
    default:
      return Number.isInteger(value) ? String(value) : value.toPrecision(4);
  }
}
