import type { QueryRecord, RunResult, Summary } from '../../src/summary/schema.ts';
import { SUMMARY_SCHEMA, SummarySchema } from '../../src/summary/schema.ts';
import { MEAN_METRICS } from '../../src/evaluate/intervals.ts';

/** Hand-made summaries: each test states the numbers its rule looks at. */

type DeepPartialRun = Partial<Omit<RunResult, 'accuracy' | 'latency' | 'ingest'>> & {
  accuracy?: Partial<NonNullable<RunResult['accuracy']>>;
  latency?: Partial<NonNullable<RunResult['latency']>>;
  ingest?: Partial<NonNullable<RunResult['ingest']>>;
};

export function makeRun(id: string, over: DeepPartialRun = {}): RunResult {
  const { accuracy, latency, ingest, ...rest } = over;
  return {
    id,
    name: id.length <= 40 ? id : id.slice(0, 40),
    config: { extractor: 'mupdf', chunker: 'sentence', embedder: 'use-lite', store: 'faiss-flat', retriever: 'dense' },
    status: 'completed',
    ingest: {
      documents: 4, pages: 20, chunks: 120, seconds: 2, pagesPerSecond: 10, chunksPerSecond: 60,
      embeddings: 120, embeddingsPerSecond: 60, embeddingCacheHits: 0, modelSeconds: 2, embeddingSource: 'model',
      failed: [], warnings: [], ...ingest,
    },
    accuracy: {
      k: 5, citationAccuracy: 0.995, answerCitations: 190, answerCitationsCorrect: 189, citationFaithfulness: 0.995,
      citations: 1000, citationsVerified: 995, semanticAccuracy: 0.96, hitAt1: 0.7,
      recallAt5: 0.9, recallAt10: 0.95, mrrAt10: 0.8, ndcgAt10: 0.82, noAnswerAuroc: 0.55, questions: 200,
      unanswerable: 20, evidenceLocated: 195, evidenceFuzzy: 5, intervals: {}, ...accuracy,
    },
    latency: {
      samples: 600, p50Ms: 20, p95Ms: 40, p99Ms: 60, maxMs: 90, meanMs: 24, roundP95Ms: [39, 40, 41], ...latency,
    },
    memory: { peakRssBytes: 500 * 2 ** 20, scope: 'process' },
    ...rest,
  };
}

export function makeSummary(runs: RunResult[], over: Partial<Summary> = {}): Summary {
  const s: Summary = {
    schema: SUMMARY_SCHEMA,
    runId: '2026-01-02T03-04-05Z',
    startedAt: '2026-01-02T03:04:05.000Z',
    finishedAt: '2026-01-02T03:09:05.000Z',
    machine: { cpus: 2, cpuModel: 'Test CPU', memoryBytes: 24 * 2 ** 30, node: 'v20.20.2', os: 'linux 6.1', hostname: 'ci' },
    versions: { ragbench: '0.1.0', 'chart.js': '4.6.1' },
    suite: { name: 'test-suite', file: 'suites/does-not-exist.yml' },
    golden: {
      name: 'mini', path: 'test/fixtures/golden-mini', documents: 4, questions: 220, answerable: 200,
      sample: {
        split: 'all', method: 'all', seed: null, size: 220, answerable: 200, unanswerable: 20, shortAnswers: 3,
        ids: Array.from({ length: 220 }, (_, i) => `q${i}`),
      },
    },
    settings: {
      k: 5, latencySamples: 600, latencyRounds: 3, relevance: 'answer-support', citation: 'answer citation',
      statistics: { method: 'percentile bootstrap over questions', confidence: 0.95, resamples: 1000, seed: 1 },
    },
    runs,
    ...over,
  };
  return SummarySchema.parse(s);
}

export function makeQuery(run: string, questionId: string, over: Partial<QueryRecord> = {}): QueryRecord {
  return {
    run,
    questionId,
    question: `What is question ${questionId}?`,
    answerable: true,
    answers: ['Paris'],
    evidence: [{ doc: 'doc-a', page: 2, pageEnd: 2, text: 'The capital of France is Paris, a large city.' }],
    hits: [
      {
        rank: 1, score: 0.91, chunkId: 'doc-a#3',
        citation: { doc: 'doc-a', page: 2, pageEnd: 2, charStart: 100, charEnd: 160, quote: 'The capital of France is Paris, a large city.' },
        relevant: true, containsAnswer: true, citationVerified: true,
      },
    ],
    metrics: { semantic: 1, hitAt1: 1, ndcgAt10: 1 },
    failed: [],
    searchMs: 12.5,
    ...over,
  };
}

/* ---- v2 measurement helpers: per-question outcomes, samples, timed latencies ---- */

/** Question ids q0..q(n-1) (or with another prefix): what golden.sample.ids lists. */
export function sampleIds(n: number, prefix = 'q'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}`);
}

/** A golden block whose sample is exactly these question ids (all answerable unless said). */
export function goldenFor(ids: string[], unanswerable = 0): Summary['golden'] {
  return {
    name: 'mini', path: 'test/fixtures/golden-mini', documents: 4, questions: ids.length, answerable: ids.length - unanswerable,
    sample: {
      split: 'all', method: 'all', seed: null, size: ids.length, answerable: ids.length - unanswerable, unanswerable, shortAnswers: 0, ids,
    },
  };
}

const meanOf = (xs: readonly (number | null)[]): number => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0;
};

/**
 * A run whose accuracy figures are the means of the given per-question columns (so summary
 * values and per-question data agree, as the runner writes them).
 */
export function runWithOutcomes(id: string, columns: Record<string, (number | null)[]>, over: DeepPartialRun = {}): RunResult {
  const accuracy: Record<string, number> = {};
  for (const [key, values] of Object.entries(columns)) if ((MEAN_METRICS as readonly string[]).includes(key)) accuracy[key] = meanOf(values);
  return makeRun(id, { ...over, accuracy: { ...accuracy, ...over.accuracy }, perQuestion: columns });
}

function quantile7(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const a = s[lo] as number;
  return a + (h - lo) * ((s[Math.min(lo + 1, s.length - 1)] as number) - a);
}

/** Latency figures computed from timed samples, with the samples and (optionally) a calibration. */
export function latencyFrom(samplesMs: number[], calibrationMs?: number[], rounds = 3): NonNullable<RunResult['latency']> {
  const per = Math.ceil(samplesMs.length / rounds);
  const roundP95Ms = Array.from({ length: rounds }, (_, r) => quantile7(samplesMs.slice(r * per, (r + 1) * per), 0.95));
  return {
    samples: samplesMs.length,
    p50Ms: quantile7(samplesMs, 0.5),
    p95Ms: quantile7(samplesMs, 0.95),
    p99Ms: quantile7(samplesMs, 0.99),
    maxMs: Math.max(...samplesMs),
    meanMs: samplesMs.reduce((a, b) => a + b, 0) / samplesMs.length,
    roundP95Ms,
    samplesMs,
    ...(calibrationMs && { calibration: { workload: 'ragbench-reference/1', samplesMs: calibrationMs } }),
  };
}
