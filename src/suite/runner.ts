import { appendFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { createPooledEmbedder } from '../embed/registry.ts';
import { CITATION_RULE } from '../evaluate/answer-citation.ts';
import { loadGoldenSet } from '../evaluate/golden.ts';
import { accuracyIntervals } from '../evaluate/intervals.ts';
import { RELEVANCE_RULE } from '../evaluate/relevance.ts';
import { SUMMARY_SCHEMA, type QueryRecord, type Summary } from '../summary/schema.ts';
import { InputError } from '../util/errors.ts';
import { DocumentLibrary } from './documents.ts';
import { executeRun, SuiteEmbedders, type SuiteContext } from './execute-run.ts';
import { loadSuite } from './load.ts';
import { describeMachine, libraryVersions } from './machine.ts';
import { expandSuite } from './matrix.ts';
import type { NamedRun } from './names.ts';
import { makeRunDir, newRunId, updateLatest, writeSummary } from './output.ts';
import { silentProgress, type ProgressSink } from './progress.ts';
import { selectQuestions } from './sample.ts';
import type { Suite } from './schema.ts';
import { validateRuns } from './validate.ts';
import { serversOfSpecs, serversUsed, SuiteServers, withServerUrls } from './servers.ts';
import { runMigrations, validateMigrationTargets } from './migration-runs.ts';
import { planQuestions } from '../load/mixes.ts';
import { evaluateExtraction } from '../stage-eval/extraction/evaluate.ts';
import { compareWithFaultFree } from './consensus-section.ts';
import { defaultServiceConfig, loadServiceConfig } from '../serve/config.ts';
import { shareOfSuite } from '../shard/select.ts';

export interface RunSuiteOptions {
  suiteFile: string;
  /** The suite itself, instead of reading `suiteFile` (which still names it and anchors relative paths). */
  suite?: Suite;
  /** Golden set folder; overrides the suite's `golden`. */
  golden?: string;
  /** Which split to score; overrides the suite's `split` (`ragbench tune` scores `dev`). */
  split?: Suite['split'];
  /** Where run folders go (default `reports`). */
  outDir?: string;
  /** Embedding cache (default `.cache/embeddings`). */
  cacheDir?: string;
  progress?: ProgressSink;
  /** Abort (Ctrl-C): the run in progress is recorded as `interrupted`, finished runs are kept. */
  signal?: AbortSignal;
  /** Run only shard `index` of `count` (1-based): a share of the configurations, or of the questions of a one-configuration suite (docs/sharding.md). */
  shard?: { index: number; count: number };
}

export interface SuiteRun {
  summary: Summary;
  records: QueryRecord[];
  dir: string;
  suite: Suite;
  /** True when the signal stopped the suite before every run finished. */
  interrupted: boolean;
}

/** How every accuracy interval is computed; recorded in summary.settings.statistics. */
export const STATISTICS = {
  method: 'percentile bootstrap over questions',
  confidence: 0.95,
  resamples: 2000,
  seed: 20261201,
} as const;

/** Every name `candidate:`/`deployed:` and `tune.run` refer to must be a run of the suite. */
function checkRunReferences(file: string, suite: Suite, runs: readonly NamedRun[]): void {
  const names = runs.map((r) => r.name);
  for (const field of ['candidate', 'deployed', 'faultFree'] as const) {
    const name = suite[field];
    if (name !== undefined && !names.includes(name)) {
      throw new InputError(`${file}: ${field}: no run is named "${name}"; runs: ${names.join(', ')}`);
    }
  }
}

/**
 * Runs every configuration of a suite. summary.json and queries.jsonl are written after each
 * run, so a crash or Ctrl-C keeps the finished runs.
 */
export async function runSuite(options: RunSuiteOptions): Promise<SuiteRun> {
  const startedAt = new Date();
  const progress = options.progress ?? silentProgress;
  const suiteFile = resolve(options.suiteFile);
  const suite = options.suite ?? (await loadSuite(suiteFile));
  const allRuns = expandSuite(suite, suiteFile);
  validateRuns(suiteFile, allRuns.map((r) => ({ ...r, run: { ...r.run, store: withServerUrls(r.run.store) } })));
  checkRunReferences(suiteFile, suite, allRuns);
  if (suite.migration) validateMigrationTargets(suiteFile, suite.migration);
  const goldenDir = options.golden !== undefined ? resolve(options.golden) : resolve(dirname(suiteFile), suite.golden);
  const golden = await loadGoldenSet(goldenDir);
  const whole = selectQuestions(golden.questions, options.split ?? suite.split, suite.questionSample);
  if (whole.questions.length === 0) {
    throw new InputError(`${goldenDir}: the ${whole.sample.split} split has no questions (the suite's split: ${options.split ?? suite.split})`);
  }
  // A shard runs its share; suite-level work (migration, extraction) runs on shard 1 only.
  const share = options.shard && shareOfSuite(suiteFile, suite, allRuns, whole, options.shard);
  const { runs, questions, sample } = share || { runs: allRuns, ...whole };
  const suiteLevel = share ? share.suiteLevel : true;
  const cacheDir = resolve(options.cacheDir ?? '.cache/embeddings');
  const library = new DocumentLibrary(golden.documents);
  const statistics = { ...STATISTICS };
  // Documents embed on every core (USE-lite in worker threads); queries stay in this thread.
  const embedders = new SuiteEmbedders((spec) => {
    const { name, ...rest } = spec;
    return createPooledEmbedder(name, rest);
  }, cacheDir);
  const ctx: SuiteContext = {
    library,
    questions,
    k: suite.k,
    latency: suite.latency,
    ...(suite.backends && { backends: suite.backends }),
    ...(suite.inject?.slowdown !== undefined && { slowdown: suite.inject.slowdown }),
    ...(options.signal && { signal: options.signal }),
    statistics,
    intervals: (perQuestion) => accuracyIntervals(perQuestion, statistics),
    cacheDir,
    progress,
    embedder: (spec) => embedders.get(spec),
  };
  const runId = newRunId(startedAt);
  const outDir = resolve(options.outDir ?? 'reports');
  const dir = await makeRunDir(outDir, runId);
  if (suite.load) {
    const service = suite.load.service !== undefined ? await loadServiceConfig(resolve(dirname(suiteFile), suite.load.service)) : defaultServiceConfig();
    // Every question of the set, not only the scored split: the mixes need many distinct ones, and no score depends on them.
    const loadQuestions = golden.questions.map((q) => q.question);
    planQuestions(loadQuestions, suite.load); // too few questions for the mixes: an InputError now, before any run
    ctx.load = {
      settings: suite.load,
      questions: loadQuestions,
      documents: golden.documents.map((d) => d.file),
      dir,
      base: { server: service.server, cache: service.cache, query: service.query },
    };
  }
  const queriesFile = join(dir, 'queries.jsonl');
  await writeFile(queriesFile, '');
  const summary: Summary = {
    schema: SUMMARY_SCHEMA,
    runId,
    startedAt: startedAt.toISOString(),
    finishedAt: startedAt.toISOString(),
    machine: describeMachine(),
    versions: await libraryVersions(),
    suite: {
      name: suite.name,
      file: relative(process.cwd(), suiteFile) || suiteFile,
      ...(suite.candidate !== undefined && { candidate: suite.candidate }),
      ...(suite.deployed !== undefined && { deployed: suite.deployed }),
      ...(suite.tuned.length > 0 && { tuned: suite.tuned }),
    },
    golden: {
      name: golden.manifest.name,
      path: golden.dir,
      documents: golden.documents.length,
      questions: golden.questions.length,
      answerable: golden.questions.filter((q) => q.answerable).length,
      sample,
    },
    settings: {
      k: suite.k,
      latencySamples: suite.latency.samples,
      latencyRounds: suite.latency.rounds,
      relevance: RELEVANCE_RULE,
      citation: CITATION_RULE,
      statistics,
    },
    runs: [],
    ...(share && { shard: share.record }),
  };
  const records: QueryRecord[] = [];
  let interrupted = false;
  const servers = new SuiteServers();
  try {
    const needed = new Set([...runs.flatMap((r) => [...serversUsed(r.run)]), ...serversOfSpecs(suiteLevel ? (suite.migration?.targets ?? []) : [])]);
    if (needed.size > 0) {
      progress.note(`starting ${[...needed].join(', ')} (loopback, temporary data)`);
      await servers.start(needed);
    }
    for (const [i, run] of runs.entries()) {
      if (options.signal?.aborted) {
        interrupted = true;
        break;
      }
      progress.note(`run ${i + 1}/${runs.length}: ${run.name}`);
      const out = await executeRun(run, ctx, { ...run.run, store: withServerUrls(run.run.store, servers.addresses()) });
      await servers.ensureUp();
      if (out.result.status === 'errored') progress.note(`run ${out.result.name} failed: ${out.result.error ?? ''}`);
      for (const f of out.result.ingest?.failed ?? []) progress.note(`skipped ${f.file}: ${f.reason}`);
      summary.runs.push(out.result);
      records.push(...out.records);
      summary.finishedAt = new Date().toISOString();
      await appendFile(queriesFile, out.records.map((r) => `${JSON.stringify(r)}\n`).join(''));
      await writeSummary(dir, summary);
      if (out.result.status === 'interrupted') {
        interrupted = true;
        break;
      }
    }
    if (suite.extraction && suiteLevel && !interrupted && !options.signal?.aborted) {
      const e = suite.extraction;
      progress.note('extraction: scoring every extractor against the R manuals\' HTML edition and the golden source text');
      let task: ReturnType<ProgressSink['start']> | undefined;
      summary.extraction = await evaluateExtraction({
        ...(e.manuals && { manuals: e.manuals }),
        ...(e.manualsDir !== undefined && { manualsDir: resolve(dirname(suiteFile), e.manualsDir) }),
        ...(e.golden && { goldenDir }),
        ...(e.extractors && { extractors: e.extractors }),
        onDocument: (_result, index, total) => {
          task ??= progress.start('extraction documents', total);
          task.update(index + 1);
        },
      });
      task?.stop();
      summary.finishedAt = new Date().toISOString();
      await writeSummary(dir, summary);
    }
    if (suite.migration && suiteLevel && !interrupted && !options.signal?.aborted) {
      const migrations = await runMigrations({
        settings: suite.migration,
        documents: golden.documents.map((d) => d.file),
        cacheDir,
        dir,
        servers,
        progress,
        ...(options.signal && { signal: options.signal }),
      });
      summary.runs.push(...migrations);
      summary.finishedAt = new Date().toISOString();
      await writeSummary(dir, summary);
      if (migrations.some((r) => r.status === 'interrupted')) interrupted = true;
    }
  } finally {
    await library.close();
    await embedders.close();
    await servers.stop();
  }
  if (suite.faultFree !== undefined) compareWithFaultFree(summary.runs, records, suite.faultFree);
  summary.finishedAt = new Date().toISOString();
  await writeSummary(dir, summary);
  await updateLatest(outDir, runId);
  return { summary, records, dir, suite, interrupted };
}
