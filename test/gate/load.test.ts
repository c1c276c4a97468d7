import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyGate } from '../../src/gate/apply.ts';
import { loadSummary, loadThresholds, parseThresholds, resolveThresholds } from '../../src/gate/load.ts';
import { writeReport } from '../../src/report/write.ts';
import { formatValue, readMetric } from '../../src/gate/metrics.ts';
import { loadQueriesBeside } from '../../src/report/write.ts';
import { InputError } from '../../src/util/errors.ts';
import { makeQuery, makeRun, makeSummary } from './fixtures.ts';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ragbench-gate-load-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loading the gate inputs', () => {
  it('reads a valid summary and names file and field of an invalid one', async () => {
    const ok = join(dir, 'ok.json');
    await writeFile(ok, JSON.stringify(makeSummary([makeRun('a')])));
    expect((await loadSummary(ok)).runs[0]?.id).toBe('a');
    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ ...makeSummary([]), schema: 'ragbench-summary/0' }));
    await expect(loadSummary(bad, 'baseline')).rejects.toThrow(`${bad}: schema: Invalid input: expected "ragbench-summary/2"`);
  });

  it('refuses a version-1 summary as a baseline: its metrics changed meaning, re-run it', async () => {
    const v1 = join(dir, 'v1.json');
    await writeFile(v1, JSON.stringify({ ...makeSummary([makeRun('a')]), schema: 'ragbench-summary/1' }));
    const err = await loadSummary(v1, 'baseline').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toMatch(new RegExp(`^${v1.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: schema: this baseline is ragbench-summary/1; this ragbench reads ragbench-summary/2, in which the metrics changed meaning`));
    expect((err as Error).message).toContain('so its numbers are not comparable: re-run the baseline with this version of ragbench');
    await expect(loadSummary(v1)).rejects.toThrow('re-run the suite with this version of ragbench');
  });

  it('treats a missing path or a directory as invalid input', async () => {
    await expect(loadSummary(join(dir, 'nope.json'))).rejects.toThrow(InputError);
    await expect(loadSummary(join(dir, 'nope.json'))).rejects.toThrow(`summary ${join(dir, 'nope.json')}: no such file`);
    await expect(loadThresholds(dir)).rejects.toThrow(`thresholds ${dir}: is a directory, expected a file`);
    await expect(loadSummary(join(dir, 'ok.json', 'x'))).rejects.toThrow(/cannot be read \(ENOTDIR\)/);
  });

  it("resolves thresholds: the file given, else the suite's, else the production defaults", async () => {
    const suite = join(dir, 'suite.yml');
    await writeFile(suite, 'name: s\nthresholds:\n  latency.p95Ms: "< 7"\n');
    const bare = join(dir, 'bare.yml');
    await writeFile(bare, 'name: s\nk: 3\n');
    const broken = join(dir, 'broken.yml');
    await writeFile(broken, 'name: [\n');
    const given = join(dir, 'gate.json');
    await writeFile(given, '{"latency.p95Ms": "< 9"}');
    const withSuite = (file: string) => makeSummary([makeRun('a')], { suite: { name: 's', file } });

    expect(await resolveThresholds(withSuite(suite), given)).toMatchObject({ source: given, thresholds: { all: { 'latency.p95Ms': { value: 9 } } } });
    expect(await resolveThresholds(withSuite(suite))).toMatchObject({ source: `${suite} thresholds`, thresholds: { all: { 'latency.p95Ms': { value: 7 } } } });
    expect((await resolveThresholds(withSuite(bare))).source).toBe(`production defaults (suite ${bare} sets no thresholds)`);
    expect((await resolveThresholds(withSuite(join(dir, 'gone.yml')))).source).toBe(`production defaults (suite file ${join(dir, 'gone.yml')} not found)`);
    await expect(resolveThresholds(withSuite(broken))).rejects.toThrow(`${broken}: not valid YAML`);
  });

  it('refuses a suite without thresholds: given as --thresholds, instead of reading it as a thresholds map', async () => {
    const bare = join(dir, 'bare-suite.yml');
    await writeFile(bare, 'name: default\ngolden: ../golden/squad-dev\nk: 5\ndefaults: { extractor: router }\nmatrix:\n  - chunker: [sentence]\n');
    const err = await loadThresholds(bare).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toBe(
      `${bare}: looks like a suite (it has name:, golden:, k:, matrix:, defaults:) but sets no thresholds: — add a \`thresholds:\` section to it, or give --thresholds a thresholds file, or leave --thresholds out to use the suite the summary names (else the production targets)`,
    );
    // A thresholds file whose keys a suite also has (defaults: true, runs: {...}) is still a thresholds file.
    const gate = join(dir, 'gate-defaults.yml');
    await writeFile(gate, 'defaults: false\nruns:\n  a:\n    latency.p95Ms: "< 9"\n');
    expect((await loadThresholds(gate)).runs).toHaveLength(1);
  });

  it('finds the queries.jsonl beside a summary, or says there is none', async () => {
    const summary = join(dir, 'summary.json');
    expect(await loadQueriesBeside(summary)).toBeNull();
    await writeFile(join(dir, 'queries.jsonl'), `${JSON.stringify(makeQuery('a', 'q1'))}\n`);
    expect((await loadQueriesBeside(summary))?.queries.map((q) => q.questionId)).toEqual(['q1']);
  });
});

describe('metric values', () => {
  it('reads numbers by path, counts arrays, and ignores what is not a number', () => {
    const run = makeRun('a', { ingest: { warnings: ['w1', 'w2'] } });
    expect(readMetric(run, 'latency.p95Ms')).toBe(40);
    expect(readMetric(run, 'ingest.warnings')).toBe(2);
    expect(readMetric(run, 'config.extractor')).toBeUndefined();
    expect(readMetric(run, 'cache.hitP95Ms')).toBeUndefined();
    expect(readMetric(run, 'latency.p95Ms.x')).toBeUndefined();
  });

  it('formats each unit for people', () => {
    expect(formatValue('accuracy.ndcgAt10', 0.81234)).toBe('0.812');
    expect(formatValue('latency.p95Ms', 3.456)).toBe('3.46 ms');
    expect(formatValue('latency.p95Ms', 1234.56)).toBe('1234.6 ms');
    expect(formatValue('ingest.seconds', 12.34)).toBe('12.3 s');
    expect(formatValue('memory.peakRssBytes', 512 * 2 ** 20)).toBe('512.0 MiB');
    expect(formatValue('ingest.pagesPerSecond', 812.26)).toBe('812.3/s');
    expect(formatValue('ingest.documents', 12)).toBe('12');
    expect(formatValue('runs', 0.123456)).toBe('0.1235');
    expect(formatValue('status', 'errored')).toBe('errored');
    expect(formatValue('latency.p95Ms', null)).toBe('n/a');
  });
});

describe('the runner hooks', () => {
  it('applyGate writes the verdict into summary.json and the checks as JUnit; writeReport writes report.html', async () => {
    const run = join(dir, 'run');
    await mkdir(run);
    const summary = makeSummary([makeRun('a'), makeRun('b', { latency: { p95Ms: 80 } })]);
    const g = await applyGate(run, summary, { thresholds: parseThresholds('latency.p95Ms: "< 50"', 'gate.yml') });
    expect(g.verdict.decision).toBe('NO-GO');
    expect(g.table).toMatch(/^NO-GO: 1 of \d+ checks failed/);
    expect(g.junitFile).toBe(join(run, 'junit.xml'));
    const onDisk = await loadSummary(join(run, 'summary.json'));
    expect(onDisk.verdict).toEqual(g.verdict);
    expect(onDisk.runs).toEqual(summary.runs);
    expect(await readFile(g.junitFile, 'utf8')).toContain('name="latency.p95Ms &lt; 50"');
    const html = await writeReport(run, g.summary, [makeQuery('a', 'q1')]);
    expect(html).toBe(join(run, 'report.html'));
    expect(await readFile(html, 'utf8')).toContain('Thresholds: the verdict stored in summary.json');
  });
});
