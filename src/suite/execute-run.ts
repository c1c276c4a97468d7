import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Chunk } from '../chunk/types.ts';
import { CachedEmbedder } from '../embed/cache.ts';
import type { Embedder } from '../embed/types.ts';
import { CitationVerifier } from '../evaluate/citations.ts';
import type { GoldenQuestion } from '../evaluate/golden.ts';
import { LatencyRecorder } from '../evaluate/latency.ts';
import { RelevanceJudge } from '../evaluate/relevance.ts';
import { IR_DEPTH, ScoringCache, scoreQuestion, summarizeAccuracy, type ScoredQuestion } from '../evaluate/score.ts';
import { CALIBRATION_WORKLOAD, timeCalibration } from '../evaluate/calibration.ts';
import type { ExtractedDocument } from '../extract/types.ts';
import type { TimedRetriever } from '../retrieve/timing.ts';
import type { IngestStats, QueryRecord, RunConfig, RunResult } from '../summary/schema.ts';
import { buildRetriever, needsEmbedder, optionsOf, storeOf, usesDenseRetrieval } from '../pipeline/assemble.ts';
import { ConsensusStore } from '../store/consensus/router.ts';
import { consensusSection } from './consensus-section.ts';
import { isVectorStore, measureBackend, type BackendFigureOptions } from './backend-figures.ts';
import { createChunker } from '../chunk/registry.ts';
import type { DocumentLibrary } from './documents.ts';
import type { ResolvedRun } from './matrix.ts';
import type { NamedRun } from './names.ts';
import { SkipRunError } from '../util/errors.ts';
import { evenSample } from './sample.ts';
import { RssSampler } from './memory.ts';
import type { ProgressSink, ProgressTask } from './progress.ts';
import { SuiteEmbedder } from './query-vectors.ts';
import { measureLoad, type LoadContext, type LoadResult } from '../load/run-load.ts';
import { chunkingStage } from '../stage-eval/chunking/stage.ts';
import { withIntervals } from '../stage-eval/chunking/intervals.ts';
import { lossByStage } from '../stage-eval/loss/breakdown.ts';

/** What every run of a suite shares: documents read once, models loaded once. */
export interface SuiteContext {
  library: DocumentLibrary;
  questions: readonly GoldenQuestion[];
  k: number;
  latency: { samples: number; rounds: number };
  /** Measure each run's store on its own (suite `backends:`). */
  backends?: BackendFigureOptions;
  /** Fault injection for testing the gate: every timed query takes this many times as long. */
  slowdown?: number;
  /** Aborted on Ctrl-C: the run in progress stops and is recorded as `interrupted`. */
  signal?: AbortSignal;
  /** How every interval is bootstrapped (summary settings.statistics). */
  statistics: { confidence: number; resamples: number; seed: number };
  /** Per-question accuracy -> intervals (bootstrap over questions). */
  intervals(perQuestion: NonNullable<RunResult['perQuestion']>): NonNullable<RunResult['accuracy']>['intervals'];
  cacheDir: string;
  progress: ProgressSink;
  embedder(spec: ResolvedRun['embedder']): SuiteEmbedder;
  /** Serve each run and load it over HTTP (suite `load:`). */
  load?: Omit<LoadContext, 'run' | 'progress' | 'signal' | 'cacheDir'>;
}

export interface RunOutput {
  result: RunResult;
  records: QueryRecord[];
}

/** A stage's label: its name, with its options when a suite set any ("hybrid(fusion=convex)"). */
export function label(spec: { name: string } & Record<string, unknown>): string {
  const options = Object.entries(optionsOf(spec)).map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  return options.length === 0 ? spec.name : `${spec.name}(${options.join(',')})`;
}

/** Stable human-readable id of a configuration, used to match runs against a baseline. */
export function describeRun(run: ResolvedRun, chunkerId: string): { id: string; config: RunConfig } {
  const dense = usesDenseRetrieval(run);
  const config: RunConfig = {
    extractor: label(run.extractor),
    chunker: chunkerId,
    embedder: dense ? label(run.embedder) : 'none',
    store: dense ? label(run.store) : 'none',
    retriever: label(run.retriever),
  };
  const retrieval = dense ? `${config.retriever}+${config.embedder}+${config.store}` : config.retriever;
  return { id: `${config.extractor}/${config.chunker}/${retrieval}`, config };
}

/** Runs one configuration end to end: ingest, accuracy over every question, latency rounds. */
export async function executeRun({ run, name }: NamedRun, ctx: SuiteContext, build: ResolvedRun = run): Promise<RunOutput> {
  const rss = new RssSampler();
  const embedder = needsEmbedder(run) ? ctx.embedder(run.embedder) : undefined;
  const chunker = createChunker(run.chunker, embedder ? { embedder } : {});
  // The chunker's id (with its resolved parameters) labels the run, errors included.
  const { id, config } = describeRun(run, chunker.id);
  let retriever: TimedRetriever | undefined;
  const checkpoint = (): void => ctx.signal?.throwIfAborted();
  try {
    checkpoint();
    const statsBefore = embedder?.documents.stats();
    let indexTask: ProgressTask | undefined;
    // `build` is `run` with server addresses filled in; the id stays the configuration as written.
    retriever = await buildRetriever(build, embedder, (done) => indexTask?.update(done));
    const { docs, ingest } = await extractAll(run.extractor.name, ctx);
    const tChunk = performance.now();
    const chunks: Chunk[] = [];
    const chunkTask = ctx.progress.start(`${name} chunk`, docs.length);
    for (const [i, doc] of docs.entries()) {
      checkpoint();
      chunks.push(...(await chunker.chunk(doc)));
      chunkTask.update(i + 1);
    }
    chunkTask.stop();
    indexTask = ctx.progress.start(`${name} index`, chunks.length);
    await retriever.index(chunks);
    indexTask.stop();
    const store = storeOf(retriever);
    // Backends that were down during ingest replay their write-ahead logs; then count what is missing.
    await reconcileConsensus(store);
    checkpoint();
    const seconds = ingest.extractSeconds + (performance.now() - tChunk) / 1000;
    const statsAfter = embedder?.documents.stats();
    const misses = (statsAfter?.misses ?? 0) - (statsBefore?.misses ?? 0);
    const cacheHits = (statsAfter?.hits ?? 0) - (statsBefore?.hits ?? 0);
    const modelSeconds = (statsAfter?.modelSeconds ?? 0) - (statsBefore?.modelSeconds ?? 0);
    const ingestStats: IngestStats = {
      documents: docs.length,
      pages: ingest.pages,
      chunks: chunks.length,
      seconds,
      pagesPerSecond: ingest.pages / seconds,
      chunksPerSecond: chunks.length / seconds,
      embeddings: misses,
      embeddingsPerSecond: modelSeconds > 0 ? misses / modelSeconds : 0,
      embeddingCacheHits: cacheHits,
      modelSeconds,
      embeddingSource: embeddingSource(misses, cacheHits),
      failed: ingest.failed,
      warnings: ingest.warnings,
    };

    const { scored, records } = await scoreAll({ id, name }, retriever, docs, embedder, ctx);
    const { accuracy, perQuestion } = summarizeAccuracy(ctx.k, scored.questions, scored.judge);
    accuracy.intervals = ctx.intervals(perQuestion);
    // Where the accuracy went: the chunks against the evidence, and the stage each failure is blamed on.
    const documents = new Map(docs.map((d) => [d.docId, d]));
    const stage = chunkingStage({ k: ctx.k, questions: ctx.questions, ranked: scored.ranked, documents, judge: scored.judge, chunks });
    const chunking = { ...stage, quality: withIntervals(stage.quality, ctx.statistics) };
    const loss = lossByStage({ k: ctx.k, questions: ctx.questions, semanticAccuracy: perQuestion.semanticAccuracy ?? [], chunks, judge: scored.judge });
    const latency = await measureLatency(name, retriever, embedder, ctx);
    const backend =
      ctx.backends && embedder && isVectorStore(store)
        ? await measureBackend(store, await Promise.all(evenSample(ctx.questions, 200).map((q) => embedder.embedQuery(q.question))), ctx.backends)
        : undefined;
    // The final state: a backend that came back during the queries replays what it missed.
    await reconcileConsensus(store);
    const served = await serveUnderLoad(name, build, ctx);
    const routing = docs.filter((d) => d.route).map((d) => ({ doc: d.docId, ...(d.route as { extractor: string; reason: string }) }));
    const result: RunResult = {
      id,
      name,
      config,
      status: 'completed',
      ingest: ingestStats,
      accuracy,
      perQuestion,
      latency,
      // Runs share one process (documents and models load once), so the peak is process-wide.
      memory: { peakRssBytes: rss.stop(), scope: 'process' },
      chunking,
      loss,
      ...(routing.length > 0 && { routing }),
      ...(store instanceof ConsensusStore && { consensus: consensusSection(store) }),
      ...(backend && { backend }),
      ...served,
    };
    return { result, records };
  } catch (err) {
    rss.stop();
    const interrupted = ctx.signal?.aborted === true;
    const status = interrupted ? 'interrupted' : err instanceof SkipRunError ? 'skipped' : 'errored';
    const error = interrupted ? 'interrupted before it finished' : err instanceof Error ? err.message : String(err);
    return { result: { id, name, config, status, error }, records: [] };
  } finally {
    await retriever?.close();
  }
}

/** Serves the run's pipeline in its own process (it builds its own index) and measures it under load. */
async function serveUnderLoad(name: string, build: ResolvedRun, ctx: SuiteContext): Promise<LoadResult | Record<string, never>> {
  if (!ctx.load) return {};
  return measureLoad({ ...ctx.load, cacheDir: ctx.cacheDir, run: { name, pipeline: build }, progress: ctx.progress, ...(ctx.signal && { signal: ctx.signal }) });
}

interface IngestTotals {
  pages: number;
  extractSeconds: number;
  failed: { file: string; reason: string }[];
  warnings: string[];
}

/** A consensus store catches up the backends that are behind, then counts per backend what is missing. */
async function reconcileConsensus(store: unknown): Promise<void> {
  if (!(store instanceof ConsensusStore)) return;
  await store.catchUp();
  await store.reconcile();
}

/** Where the ingest's embeddings came from: a throughput from cached vectors is not the model's. */
function embeddingSource(misses: number, hits: number): IngestStats['embeddingSource'] {
  if (misses === 0 && hits === 0) return 'none';
  if (hits === 0) return 'model';
  return misses === 0 ? 'cache' : 'mixed';
}

async function extractAll(extractor: string, ctx: SuiteContext): Promise<{ docs: ExtractedDocument[]; ingest: IngestTotals }> {
  const docs: ExtractedDocument[] = [];
  const totals: IngestTotals = { pages: 0, extractSeconds: 0, failed: [], warnings: [] };
  const task = ctx.progress.start(`extract (${extractor})`, ctx.library.documents.length);
  for (const [i, d] of ctx.library.documents.entries()) {
    const r = await ctx.library.extract(d.id, extractor);
    totals.extractSeconds += r.seconds;
    if (r.ok) {
      docs.push(r.doc);
      totals.pages += r.doc.pages.length;
      totals.warnings.push(...r.doc.warnings.map((w) => `${d.id}: ${w}`));
    } else {
      totals.failed.push({ file: r.file, reason: r.reason });
    }
    task.update(i + 1);
  }
  task.stop();
  return { docs, ingest: totals };
}

async function scoreAll(
  run: { id: string; name: string },
  retriever: TimedRetriever,
  docs: readonly ExtractedDocument[],
  embedder: SuiteEmbedder | undefined,
  ctx: SuiteContext,
): Promise<{ scored: { questions: ScoredQuestion[]; judge: RelevanceJudge; ranked: Chunk[][] }; records: QueryRecord[] }> {
  const byId = new Map(docs.map((d) => [d.docId, d]));
  const judge = new RelevanceJudge(byId);
  const verifier = new CitationVerifier((docId, extractor) => ctx.library.read(docId, extractor));
  const cache = new ScoringCache();
  const scoring = {
    k: ctx.k,
    judge,
    verifier,
    documentOf: (docId: string) => byId.get(docId) as ExtractedDocument,
  };
  await embedder?.warmQueries(ctx.questions.map((q) => q.question));
  const task = ctx.progress.start(`${run.name} score`, ctx.questions.length);
  const questions: ScoredQuestion[] = [];
  /** Each question's ranked chunks, for the chunk-quality measures. */
  const ranked: Chunk[][] = [];
  for (const [i, q] of ctx.questions.entries()) {
    await pause(i, ctx.signal);
    const t = await retriever.searchTimed(q.question, Math.max(ctx.k, IR_DEPTH));
    questions.push(await scoreQuestion(run.id, q, t.chunks, t.searchMs, scoring, cache));
    ranked.push(t.chunks.map((c) => c.chunk));
    task.update(i + 1);
  }
  task.stop();
  return { scored: { questions, judge, ranked }, records: questions.map((s) => s.record) };
}

/**
 * Lets signal handlers and progress bars run: a fast in-memory retriever resolves every query
 * in microtasks, so without a turn of the event loop Ctrl-C would wait for the whole run.
 */
async function pause(i: number, signal: AbortSignal | undefined): Promise<void> {
  if (i % 32 === 0) await yieldToEventLoop();
  signal?.throwIfAborted();
}

/**
 * Within a latency round the reference workload is timed again at evenly spaced points: one
 * per 25 queries, at most 8 a round, so a long round of a fast retriever (BM25: 0.1 ms a query)
 * does not spend most of its time calibrating, and the gate's bootstrap has several values.
 */
function calibrationPoints(perRound: number): Set<number> {
  const count = Math.min(8, Math.floor(perRound / 25));
  return new Set(Array.from({ length: count }, (_, j) => Math.round((perRound * (j + 1)) / (count + 1))));
}

/** Untimed queries before the latency rounds. */
const WARMUP_QUERIES = 20;

/** Spends `ms` on the CPU (fault injection: a slower query path, not an idle one). */
function busyWait(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    // spin
  }
}

/**
 * Times the query path (query embedding + search) with the query cache off, in rounds. Every
 * round asks the same questions, spread evenly over all documents, so rounds differ only by
 * the machine's noise; the reference workload is timed before each round (calibration).
 */
async function measureLatency(
  run: string,
  retriever: TimedRetriever,
  embedder: SuiteEmbedder | undefined,
  ctx: SuiteContext,
): Promise<RunResult['latency']> {
  const recorder = new LatencyRecorder();
  const { samples, rounds } = ctx.latency;
  const perRound = Math.ceil(samples / rounds);
  // A small set is cycled through so each round still has `perRound` samples behind its p95.
  const spread = evenSample(ctx.questions, perRound);
  const asked = Array.from({ length: perRound }, (_, i) => spread[i % spread.length] as GoldenQuestion);
  const extra = (ctx.slowdown ?? 1) - 1;
  const calibrateAt = calibrationPoints(asked.length);
  const task = ctx.progress.start(`${run} latency`, asked.length * rounds);
  const timeAll = async (): Promise<void> => {
    // Warm-up, untimed: the first uncached model calls pay for JIT and WASM start-up, which
    // would otherwise inflate the first run of a process and not the next.
    for (const q of asked.slice(0, WARMUP_QUERIES)) await retriever.searchTimed(q.question, ctx.k);
    for (let r = 0; r < rounds; r++) {
      recorder.startRound(timeCalibration());
      for (const [i, q] of asked.entries()) {
        await pause(i, ctx.signal);
        // Between queries, untimed: tracks load that changes within a round (another job starting).
        if (calibrateAt.has(i)) recorder.calibrate(timeCalibration(1, true));
        const t = await retriever.searchTimed(q.question, ctx.k);
        const ms = t.embedMs + t.searchMs;
        if (extra > 0) busyWait(ms * extra);
        recorder.record(ms * (1 + extra));
        task.update(r * asked.length + i + 1);
      }
    }
  };
  await (embedder ? embedder.uncached(timeAll) : timeAll());
  task.stop();
  return recorder.stats(CALIBRATION_WORKLOAD);
}

/** One SuiteEmbedder per embedder spec for the whole suite, so each model loads once. */
export class SuiteEmbedders {
  private readonly made = new Map<string, SuiteEmbedder>();

  constructor(
    private readonly create: (spec: ResolvedRun['embedder']) => Embedder,
    private readonly cacheDir: string,
  ) {}

  get(spec: ResolvedRun['embedder']): SuiteEmbedder {
    const key = JSON.stringify(spec);
    let e = this.made.get(key);
    if (!e) {
      const model = this.create(spec);
      e = new SuiteEmbedder(model, new CachedEmbedder(model, { dir: this.cacheDir }), this.cacheDir);
      this.made.set(key, e);
    }
    return e;
  }

  /** Stops every model (worker threads of a pooled one) when the suite ends. */
  async close(): Promise<void> {
    for (const e of this.made.values()) await e.close();
    this.made.clear();
  }
}
