import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { accuracyIntervals } from '../../src/evaluate/intervals.ts';
import { LatencyRecorder } from '../../src/evaluate/latency.ts';
import { readShards } from '../../src/shard/files.ts';
import { mergeShards, type ShardFile } from '../../src/shard/merge.ts';
import { runSuite, type SuiteRun } from '../../src/suite/runner.ts';
import { SummarySchema, type QueryRecord, type RunResult, type Summary } from '../../src/summary/schema.ts';
import { cli } from '../cli/run-cli.ts';

/**
 * Real suites on golden-mini (BM25: no model to load), run unsharded and as 2 shards, then
 * merged: the merged summary must be the unsharded one — accuracy, intervals, per-question
 * arrays and records equal — with latency recomputed from the shards' timed queries.
 */

const exec = promisify(execFile);
const MINI = resolve('test/fixtures/golden-mini');
let work: string;

const CONFIGURATIONS = [
  'name: shard-configurations',
  'k: 3',
  'latency: { samples: 60, rounds: 3 }',
  'runs:',
  '  - { name: bm25-sentence, extractor: mupdf, chunker: sentence, retriever: bm25 }',
  '  - { name: bm25-fixed, extractor: mupdf, chunker: { name: fixed, size: 400, overlap: 50 }, retriever: bm25 }',
  '  - { name: bm25-pdfjs, extractor: pdfjs, chunker: sentence, retriever: bm25 }',
].join('\n');

// 80-character chunks and k = 2: some questions fail, so outcomes, intervals and the loss breakdown vary by question.
const ONE_CONFIGURATION = [
  'name: shard-questions',
  'k: 2',
  'latency: { samples: 60, rounds: 3 }',
  'runs:',
  '  - { name: bm25-small-chunks, extractor: mupdf, chunker: { name: fixed, size: 80, overlap: 0 }, retriever: bm25 }',
].join('\n');

interface Sharded {
  whole: SuiteRun;
  shards: SuiteRun[];
  files: string[];
}

async function runSharded(name: string, yaml: string): Promise<Sharded> {
  const suiteFile = join(work, `${name}.yml`);
  await writeFile(suiteFile, yaml);
  const common = { suiteFile, golden: MINI, cacheDir: join(work, 'cache') };
  const whole = await runSuite({ ...common, outDir: join(work, name, 'whole') });
  const shards: SuiteRun[] = [];
  for (const index of [1, 2]) shards.push(await runSuite({ ...common, outDir: join(work, name, `shard-${index}`), shard: { index, count: 2 } }));
  return { whole, shards, files: shards.map((s) => join(s.dir, 'summary.json')) };
}

/** A record without its timing: everything else is deterministic. */
const untimed = ({ searchMs: _, ...rest }: QueryRecord): Omit<QueryRecord, 'searchMs'> => rest;

/** The scored figures of a run, latency aside. */
function scored(r: RunResult): unknown {
  return { id: r.id, name: r.name, status: r.status, accuracy: r.accuracy, perQuestion: r.perQuestion, chunking: r.chunking, loss: r.loss, chunks: r.ingest?.chunks };
}

let configurations: Sharded;
let questions: Sharded;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'ragbench-shard-'));
  configurations = await runSharded('configurations', CONFIGURATIONS);
  questions = await runSharded('questions', ONE_CONFIGURATION);
}, 300_000);

afterAll(async () => {
  await rm(work, { recursive: true, force: true });
});

describe('sharding by configuration (3 runs, 2 shards)', () => {
  it('each shard runs the configurations at positions i-1 mod n and says so in summary.json', async () => {
    const [a, b] = configurations.shards as [SuiteRun, SuiteRun];
    expect(a.summary.runs.map((r) => r.name)).toEqual(['bm25-sentence', 'bm25-pdfjs']);
    expect(b.summary.runs.map((r) => r.name)).toEqual(['bm25-fixed']);
    const onDisk = SummarySchema.parse(JSON.parse(await readFile(configurations.files[1] as string, 'utf8')));
    expect(onDisk.shard).toEqual({ index: 2, count: 2, by: 'configurations', configurations: [1], totalConfigurations: 3 });
    expect(onDisk.golden.sample).toEqual(configurations.whole.summary.golden.sample);
  });

  it('the merge equals the unsharded run: runs in suite order, accuracy, intervals, per-question arrays and records', async () => {
    const { shards } = await readShards(configurations.files);
    const merged = mergeShards(shards);
    const whole = configurations.whole;
    expect(merged.summary.runs.map((r) => r.id)).toEqual(whole.summary.runs.map((r) => r.id));
    expect(merged.summary.runs.map(scored)).toEqual(whole.summary.runs.map(scored));
    expect(merged.summary.runs[0]?.accuracy?.intervals.semanticAccuracy).toBeDefined();
    expect(merged.summary.golden).toEqual(whole.summary.golden);
    expect(merged.summary.settings).toEqual(whole.summary.settings);
    expect(merged.records.map(untimed)).toEqual(whole.records.map(untimed));
    // By configuration each run's latency is its shard's own measurement, kept as is.
    expect(merged.summary.runs[1]?.latency).toEqual(shards[1]?.summary.runs[0]?.latency);
    expect(merged.summary.shard).toBeUndefined();
    expect(merged.summary.merged?.by).toBe('configurations');
    expect(merged.summary.merged?.shards.map((s) => [s.index, s.runs.length, s.machine.cpus > 0])).toEqual([
      [1, 2, true],
      [2, 1, true],
    ]);
    expect(merged.summary.merged?.machinesAlike).toBe(true);
    expect(() => SummarySchema.parse(merged.summary)).not.toThrow();
  });
});

describe('sharding by question (1 run, 2 shards)', () => {
  it('splits the sample into disjoint shares that cover it, documents shared between them', () => {
    const whole = questions.whole.summary.golden.sample;
    const [a, b] = questions.shards.map((s) => s.summary) as [Summary, Summary];
    const ids = [...a.golden.sample.ids, ...b.golden.sample.ids];
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice().sort()).toEqual(whole.ids.slice().sort());
    expect(a.shard?.by).toBe('questions');
    expect(a.shard?.sample).toEqual(whole);
    expect(a.golden.sample.size + b.golden.sample.size).toBe(whole.size);
    // Each shard scores its own part, with its own per-question arrays.
    expect(a.runs[0]?.perQuestion?.semanticAccuracy).toHaveLength(a.golden.sample.size);
    // Both documents with several passages are split between the shards (Harbour_Tides has one of its own).
    const docsOf = (s: Summary): string[] => [...new Set(questions.whole.records.filter((r) => s.golden.sample.ids.includes(r.questionId)).flatMap((r) => r.evidence.map((e) => e.doc)))];
    for (const s of [a, b]) expect(docsOf(s)).toEqual(expect.arrayContaining(['Greyhaven_Lighthouse', 'Comment_Form_Audit']));
  });

  it('the merge equals the unsharded run: accuracy, intervals, per-question arrays, chunk quality, loss and records', async () => {
    const { shards } = await readShards(questions.files);
    const merged = mergeShards(shards);
    const whole = questions.whole;
    expect(merged.summary.golden).toEqual(whole.summary.golden);
    expect(merged.summary.runs.map(scored)).toEqual(whole.summary.runs.map(scored));
    const run = merged.summary.runs[0] as RunResult;
    expect(run.accuracy?.intervals).toEqual(whole.summary.runs[0]?.accuracy?.intervals);
    // Not a trivial equality: these outcomes are mixed, and another seed gives other intervals.
    expect(run.loss?.failed).toBeGreaterThan(0);
    expect(run.accuracy?.semanticAccuracy).toBeGreaterThan(0);
    expect(run.accuracy?.semanticAccuracy).toBeLessThan(1);
    const statistics = merged.summary.settings.statistics;
    expect(accuracyIntervals(run.perQuestion ?? {}, { ...statistics, seed: statistics.seed + 1 })).not.toEqual(run.accuracy?.intervals);
    expect(merged.records.map(untimed)).toEqual(whole.records.map(untimed));
    expect(merged.summary.merged).toMatchObject({ by: 'questions', count: 2 });
  });

  it('latency: the shards\' timed queries concatenated, percentiles recomputed from them (never averaged)', async () => {
    const { shards } = await readShards(questions.files);
    const latency = mergeShards(shards).summary.runs[0]?.latency;
    const parts = questions.shards.map((s) => s.summary.runs[0]?.latency);
    const samples = parts.flatMap((l) => l?.samplesMs ?? []);
    expect(samples.length).toBe(120);
    expect(latency?.samplesMs).toEqual(samples);
    const recorder = new LatencyRecorder();
    recorder.startRound();
    for (const ms of samples) recorder.record(ms);
    const { samples: count, p50Ms, p95Ms, p99Ms, maxMs, meanMs } = recorder.stats();
    expect(latency).toMatchObject({ samples: count, p50Ms, p95Ms, p99Ms, maxMs, meanMs });
    expect(latency?.roundP95Ms).toEqual(parts.flatMap((l) => l?.roundP95Ms ?? []));
    expect(latency?.calibration?.samplesMs).toEqual(parts.flatMap((l) => l?.calibration?.samplesMs ?? []));
  });
});

describe('merge refuses shards that do not form one run', () => {
  const load = async (file: string): Promise<ShardFile> => (await readShards([file])).shards[0] as ShardFile;

  it('a missing shard, naming it', async () => {
    const one = await load(configurations.files[0] as string);
    expect(() => mergeShards([one])).toThrow(/shard 2\/2 is missing .*re-run the missing one with --shard 2\/2/);
  });

  it('the same shard twice', async () => {
    const one = await load(configurations.files[0] as string);
    expect(() => mergeShards([one, { ...one, file: 'copy.json' }])).toThrow(/shard 1\/2 is given twice/);
  });

  it('shards of different settings, suites or splits, naming the field', async () => {
    const [a, b] = [await load(configurations.files[0] as string), await load(configurations.files[1] as string)];
    const otherK = structuredClone(b.summary);
    otherK.settings.k = 5;
    expect(() => mergeShards([a, { ...b, summary: otherK }])).toThrow(/settings differs/);
    const otherSuite = structuredClone(b.summary);
    otherSuite.suite.name = 'another';
    expect(() => mergeShards([a, { ...b, summary: otherSuite }])).toThrow(/suite differs/);
    const q2 = await load(questions.files[1] as string);
    expect(() => mergeShards([a, q2])).toThrow(/shard\.by differs/);
  });

  it('a summary that is not a shard', async () => {
    const whole = await load(join(configurations.whole.dir, 'summary.json'));
    expect(() => mergeShards([whole])).toThrow(/is not a shard/);
  });
});

describe('CLI', () => {
  it('ragbench merge writes summary.json, queries.jsonl and report.html, and gates the merged run', async () => {
    const out = join(work, 'merged-cli');
    const r = await cli('merge', ...questions.files, '--out', out, '--gate', '--thresholds', await thresholdsFile());
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const summary = SummarySchema.parse(JSON.parse(await readFile(join(out, 'latest', 'summary.json'), 'utf8')));
    expect(summary.verdict?.decision).toBe('GO');
    expect(summary.runs[0]?.accuracy).toEqual(questions.whole.summary.runs[0]?.accuracy);
    const lines = (await readFile(join(out, 'latest', 'queries.jsonl'), 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(questions.whole.records.length);
    expect((await readFile(join(out, 'latest', 'report.html'), 'utf8')).length).toBeGreaterThan(1000);
  });

  it('ragbench merge with a shard missing exits 2 naming it', async () => {
    const r = await cli('merge', configurations.files[1] as string, '--out', join(work, 'never'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/shard 1\/2 is missing/);
  });

  it.each([['0/2'], ['3/2'], ['2'], ['a/b']])('ragbench run --shard %s exits 2', async (spec) => {
    const r = await cli('run', join(work, 'questions.yml'), '--golden', MINI, '--out', join(work, 'never'), '--shard', spec);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--shard/);
  });

  it('more shards than configurations exits 2 naming the limit', async () => {
    const r = await cli('run', join(work, 'configurations.yml'), '--golden', MINI, '--out', join(work, 'never'), '--shard', '4/4');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/3 configurations, so at most 3 shards/);
  });
});

interface WorkflowStep {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, string>;
}

describe('the nightly workflow', () => {
  it('runs a matrix of shards, uploads each, and its merge step (run as CI runs it) joins them', async () => {
    const wf = parseYaml(await readFile('.github/workflows/nightly.yml', 'utf8')) as {
      jobs: Record<string, { needs?: string; env?: Record<string, string>; strategy?: { matrix: { shard: number[] } }; steps: WorkflowStep[] }>;
    };
    const bench = wf.jobs.bench;
    const merge = wf.jobs.merge;
    expect(bench?.strategy?.matrix.shard).toEqual([1, 2]);
    expect(bench?.steps.some((s) => s.run?.includes('ragbench.js run suites/default.yml') && s.run.includes('--shard ${{ matrix.shard }}/${{ strategy.job-total }}'))).toBe(true);
    const upload = bench?.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(upload?.with?.name).toBe('ragbench-shard-${{ matrix.shard }}');
    expect(merge?.needs).toBe('bench');
    const download = merge?.steps.find((s) => s.with?.pattern !== undefined);
    expect(download?.with).toMatchObject({ pattern: 'ragbench-shard-*', path: 'shards' });
    const step = merge?.steps.find((s) => s.run?.includes('ragbench.js merge'));
    // The artifacts as download-artifact lays them out: shards/<artifact name>/.
    const root = join(work, 'ci');
    await mkdir(root, { recursive: true });
    await symlink(resolve('bin'), join(root, 'bin'));
    for (const [i, run] of configurations.shards.entries()) {
      const into = join(root, 'shards', `ragbench-shard-${i + 1}`);
      await mkdir(into, { recursive: true });
      for (const f of ['summary.json', 'queries.jsonl']) await copyFile(join(run.dir, f), join(into, f));
    }
    await exec('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step?.run ?? 'false'], { cwd: root, env: { ...process.env, ...merge?.env }, maxBuffer: 1 << 24 });
    const summary = SummarySchema.parse(JSON.parse(await readFile(join(root, merge?.env?.REPORT_DIR ?? 'reports/latest', 'summary.json'), 'utf8')));
    expect(summary.runs.map((r) => r.id)).toEqual(configurations.whole.summary.runs.map((r) => r.id));
    expect(summary.merged?.shards.map((s) => s.index)).toEqual([1, 2]);
  });
});

async function thresholdsFile(): Promise<string> {
  const file = join(work, 'thresholds.yml');
  await mkdir(work, { recursive: true });
  await writeFile(file, 'defaults: false\naccuracy.semanticAccuracy: ">= 0.1"\n');
  return file;
}
