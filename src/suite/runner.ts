import { dirname, resolve, relative } from 'node:path';
import { createEmbedder } from '../embed/registry.ts';
import { loadGoldenSet } from '../evaluate/golden.ts';
import { RELEVANCE_RULE } from '../evaluate/relevance.ts';
import { SUMMARY_SCHEMA, type QueryRecord, type Summary } from '../summary/schema.ts';
import { DocumentLibrary } from './documents.ts';
import { embedderFactory, executeRun, type SuiteContext } from './execute-run.ts';
import { loadSuite } from './load.ts';
import { describeMachine, libraryVersions } from './machine.ts';
import { expandSuite } from './matrix.ts';
import { makeRunDir, newRunId, updateLatest, writeQueries, writeSummary } from './output.ts';
import { silentProgress, type ProgressSink } from './progress.ts';
import { evenSample } from './sample.ts';
import type { Suite } from './schema.ts';

export interface RunSuiteOptions {
  suiteFile: string;
  /** Golden set folder; overrides the suite's `golden`. */
  golden?: string;
  /** Where run folders go (default `reports`). */
  outDir?: string;
  /** Embedding cache (default `.cache/embeddings`). */
  cacheDir?: string;
  progress?: ProgressSink;
}

export interface SuiteRun {
  summary: Summary;
  records: QueryRecord[];
  dir: string;
  suite: Suite;
}

/** Runs every configuration of a suite and writes summary.json + queries.jsonl. */
export async function runSuite(options: RunSuiteOptions): Promise<SuiteRun> {
  const startedAt = new Date();
  const progress = options.progress ?? silentProgress;
  const suiteFile = resolve(options.suiteFile);
  const suite = await loadSuite(suiteFile);
  const goldenDir = options.golden !== undefined ? resolve(options.golden) : resolve(dirname(suiteFile), suite.golden);
  const golden = await loadGoldenSet(goldenDir);
  const questions = evenSample(golden.questions, suite.questionSample);
  const runs = expandSuite(suite);
  const cacheDir = resolve(options.cacheDir ?? '.cache/embeddings');
  const library = new DocumentLibrary(golden.documents);
  const ctx: SuiteContext = {
    library,
    questions,
    k: suite.k,
    latency: suite.latency,
    cacheDir,
    progress,
    embedder: embedderFactory((spec) => {
      const { name, ...rest } = spec;
      return createEmbedder(name, rest);
    }, cacheDir),
  };
  const results: Summary['runs'] = [];
  const records: QueryRecord[] = [];
  try {
    for (const [i, run] of runs.entries()) {
      progress.note(`run ${i + 1}/${runs.length}`);
      const out = await executeRun(run, ctx);
      if (out.result.status === 'errored') progress.note(`run ${out.result.id} failed: ${out.result.error ?? ''}`);
      for (const f of out.result.ingest?.failed ?? []) progress.note(`skipped ${f.file}: ${f.reason}`);
      results.push(out.result);
      records.push(...out.records);
    }
  } finally {
    await library.close();
  }
  const runId = newRunId(startedAt);
  const outDir = resolve(options.outDir ?? 'reports');
  const dir = await makeRunDir(outDir, runId);
  const summary: Summary = {
    schema: SUMMARY_SCHEMA,
    runId,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: describeMachine(),
    versions: await libraryVersions(),
    suite: { name: suite.name, file: relative(process.cwd(), suiteFile) || suiteFile },
    golden: {
      name: golden.manifest.name,
      path: golden.dir,
      documents: golden.documents.length,
      questions: questions.length,
      answerable: questions.filter((q) => q.answerable).length,
    },
    settings: { k: suite.k, latencySamples: suite.latency.samples, relevance: RELEVANCE_RULE },
    runs: results,
  };
  await writeQueries(`${dir}/queries.jsonl`, records);
  await writeSummary(dir, summary);
  await updateLatest(outDir, runId);
  return { summary, records, dir, suite };
}
