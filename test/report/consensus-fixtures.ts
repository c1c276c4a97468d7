import { readFileSync } from 'node:fs';
import { SummarySchema, type BackendRun, type RunResult, type Summary } from '../../src/summary/schema.ts';
import { makeRun } from '../gate/fixtures.ts';
import { PAYLOADS } from './hostile.ts';

/**
 * Consensus and backend data as the runner writes it. `fixtures/consensus-summary.json` is a
 * real summary of suites/consensus.yml (2026-12-01, 300 questions of squad-dev, six scenarios
 * over exact / FAISS / hnswlib with injected faults), trimmed to what the report reads: per-question
 * outcomes keep only semanticAccuracy, latency drops its raw samples, and
 * `consensus.overheadP95VsSlowestHealthy` (added to the schema after that run) is filled in from
 * the run's own figures by the runner's rule (src/suite/consensus-section.ts). The variants below
 * change one thing each, so a test can say which figure it expects to move.
 */

const FIXTURE = new URL('./fixtures/consensus-summary.json', import.meta.url);

export function realConsensusSummary(): Summary {
  return SummarySchema.parse(JSON.parse(readFileSync(FIXTURE, 'utf8')));
}

function clone<T>(x: T): T {
  return structuredClone(x);
}

function runNamed(summary: Summary, name: string): RunResult {
  const run = summary.runs.find((r) => r.name === name);
  if (!run) throw new Error(`consensus fixture has no run ${name}`);
  return run;
}

/**
 * The real "down-during-ingest" scenario, had its backend's log been lost as well: three chunks
 * (with hostile ids) held by no backend, and the run answering 12 questions worse than the
 * fault-free run (flipped from right to wrong), so the paired test has something to find.
 */
export function lossyScenario(summary: Summary): RunResult {
  const run = clone(runNamed(summary, 'down-during-ingest'));
  const lostIds = [`doc-7#12`, PAYLOADS[0] as string, PAYLOADS[1] as string];
  run.name = 'lost-wal';
  run.id = `${run.id} lost-wal`;
  const c = run.consensus!;
  const reconcile = c.reconcile!;
  reconcile.chunksLost = lostIds.length;
  reconcile.lostIds = lostIds;
  reconcile.failure = `consensus: 3 of ${reconcile.expected} written chunks are held by no reachable backend and no write-ahead log: ${lostIds.join(', ')}`;
  reconcile.backends = reconcile.backends.map((b) => (b.reachable ? b : { ...b, walPending: 0, error: `faulty(hnswlib): connect ECONNREFUSED ${PAYLOADS[3]}` }));
  c.chunksLost = lostIds.length;
  c.writes.walPending = 0;
  const semantic = [...run.perQuestion!.semanticAccuracy!];
  let flipped = 0;
  for (let i = 0; i < semantic.length && flipped < 12; i++) {
    if (semantic[i] === 1) {
      semantic[i] = 0;
      flipped++;
    }
  }
  run.perQuestion = { semanticAccuracy: semantic };
  const answered = semantic.filter((x): x is number => x !== null);
  const before = run.accuracy!.semanticAccuracy;
  run.accuracy!.semanticAccuracy = answered.reduce((a, b) => a + b, 0) / answered.length;
  const shift = run.accuracy!.semanticAccuracy - before;
  const iv = run.accuracy!.intervals.semanticAccuracy!;
  run.accuracy!.intervals.semanticAccuracy = { low: iv.low + shift, high: iv.high + shift };
  c.identicalToFaultFree = 1 - flipped / summary.golden.sample.size;
  return run;
}

/** A consensus scenario that did not run, for a reason with markup in it. */
export function skippedScenario(summary: Summary): RunResult {
  const { ingest: _i, accuracy: _a, perQuestion: _p, latency: _l, memory: _m, consensus: _c, ...rest } = clone(runNamed(summary, 'healthy'));
  return {
    ...rest,
    id: `${rest.id} pinecone`,
    name: 'with-pinecone',
    config: { ...rest.config, store: 'consensus(backends=[{"store":"exact"},{"store":"faiss-flat"},{"store":"pinecone"}])' },
    status: 'skipped',
    error: `pinecone: PINECONE_API_KEY is not set; the run is skipped, not faked ${PAYLOADS[0]}`,
  };
}

/** The real consensus summary with the lossy and the skipped scenario added. */
export function consensusSummary(): Summary {
  const summary = realConsensusSummary();
  return SummarySchema.parse({ ...summary, runs: [...summary.runs, lossyScenario(summary), skippedScenario(summary)] });
}

interface BackendFigures {
  store: string;
  recall: number | null;
  qps: number;
  p50: number;
  p95: number;
  p99: number;
  errors?: number;
  ingestSeconds: number;
  queryP95: number;
  semantic: number;
}

/**
 * Figures of the scale the backends suite measures on this machine (in-process stores at
 * thousands of queries/s, servers at hundreds, HNSW recall a little under 1).
 */
export const BACKENDS: BackendFigures[] = [
  { store: 'exact', recall: 1, qps: 2150, p50: 3.6, p95: 5.1, p99: 6.8, ingestSeconds: 31.2, queryP95: 19.8, semantic: 0.553 },
  { store: 'faiss-flat', recall: 1, qps: 8420, p50: 0.9, p95: 1.4, p99: 2.2, ingestSeconds: 30.9, queryP95: 17.6, semantic: 0.553 },
  { store: 'faiss-hnsw', recall: 0.984, qps: 12900, p50: 0.6, p95: 0.9, p99: 1.5, ingestSeconds: 32.4, queryP95: 17.1, semantic: 0.546 },
  { store: 'hnswlib', recall: 0.971, qps: 15300, p50: 0.5, p95: 0.8, p99: 1.2, ingestSeconds: 31.8, queryP95: 16.9, semantic: 0.54 },
  { store: 'chroma', recall: 0.992, qps: 410, p50: 18.5, p95: 29.4, p99: 41.7, ingestSeconds: 44.6, queryP95: 48.3, semantic: 0.55 },
  { store: 'pgvector', recall: 0.962, qps: 880, p50: 8.7, p95: 14.9, p99: 22.3, errors: 2, ingestSeconds: 39.1, queryP95: 33.5, semantic: 0.536 },
];

export const BACKEND_CONCURRENCY = 8;

export function backendRun(f: BackendFigures): RunResult {
  const backend: BackendRun = {
    version: 1,
    store: f.store,
    vectors: 701,
    recallAt10VsExact: f.recall,
    throughput: {
      concurrency: BACKEND_CONCURRENCY, queries: 2000, seconds: 2000 / f.qps, queriesPerSecond: f.qps,
      p50Ms: f.p50, p95Ms: f.p95, p99Ms: f.p99, errors: f.errors ?? 0,
    },
  };
  return makeRun(`mupdf/sentence/dense+use-lite+${f.store}`, {
    name: f.store,
    config: { extractor: 'mupdf', chunker: 'sentence', embedder: 'use-lite', store: f.store, retriever: 'dense' },
    ingest: { seconds: f.ingestSeconds },
    latency: { p95Ms: f.queryP95 },
    accuracy: { semanticAccuracy: f.semantic, intervals: { semanticAccuracy: { low: f.semantic - 0.08, high: f.semantic + 0.08 } } },
    backend,
  });
}

/** Pinecone without credentials: skipped with the adapter's reason (here with markup in it). */
export function skippedPinecone(): RunResult {
  const { ingest: _i, accuracy: _a, latency: _l, memory: _m, ...rest } = makeRun('mupdf/sentence/dense+use-lite+pinecone(namespace=ragbench-nightly)', {
    name: `pinecone ${PAYLOADS[3]}`,
    config: { extractor: 'mupdf', chunker: 'sentence', embedder: 'use-lite', store: 'pinecone(namespace=ragbench-nightly)', retriever: 'dense' },
    status: 'skipped',
    error: `pinecone: PINECONE_API_KEY is not set; the run is skipped, not faked ${PAYLOADS[1]}`,
  });
  return rest;
}
