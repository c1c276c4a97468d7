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
  /** Path of an array of per-round values whose spread is this metric's run-to-run noise. */
  roundsPath?: string;
  /** Path of the sample count behind this metric, reported beside latency comparisons. */
  samplesPath?: string;
}

const ratio = (label: string): MetricInfo => ({ label, unit: 'ratio', better: 'higher' });
const ms = (label: string, extra: Partial<MetricInfo> = {}): MetricInfo => ({
  label,
  unit: 'ms',
  better: 'lower',
  samplesPath: 'latency.samples',
  ...extra,
});

export const METRICS: Readonly<Record<string, MetricInfo>> = {
  'accuracy.citationAccuracy': ratio('citation accuracy'),
  'accuracy.semanticAccuracy': ratio('semantic accuracy'),
  'accuracy.hitAt1': ratio('hit@1'),
  'accuracy.recallAt5': ratio('recall@5'),
  'accuracy.recallAt10': ratio('recall@10'),
  'accuracy.mrrAt10': ratio('MRR@10'),
  'accuracy.ndcgAt10': ratio('nDCG@10'),
  'accuracy.citations': { label: 'citations', unit: 'count' },
  'accuracy.citationsVerified': { label: 'citations verified', unit: 'count' },
  'accuracy.questions': { label: 'questions scored', unit: 'count' },
  'latency.p50Ms': ms('p50 latency'),
  'latency.p95Ms': ms('p95 latency', { roundsPath: 'latency.roundP95Ms' }),
  'latency.p99Ms': ms('p99 latency'),
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
  // Added to runs by later stages (serving cache, store consensus, migration).
  'cache.hitP95Ms': { label: 'cache hit p95', unit: 'ms', better: 'lower', roundsPath: 'cache.roundHitP95Ms' },
  'cache.hitRate': ratio('cache hit rate'),
  'consensus.agreement': ratio('consensus agreement'),
  'migration.lostRecords': { label: 'records lost', unit: 'count', better: 'lower' },
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

/** Per-round values behind a metric (for its noise), or [] when the run has none. */
export function readRounds(run: RunResult, path: string): number[] {
  const v = walk(run, path);
  return Array.isArray(v) ? v.filter((x): x is number => typeof x === 'number' && Number.isFinite(x)) : [];
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
