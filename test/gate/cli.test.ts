import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Summary } from '../../src/summary/schema.ts';
import { quantile } from '../../src/stats/quantile.ts';
import { latencies } from '../stats/synthetic.ts';
import { latencyFrom, makeQuery, makeRun, makeSummary } from './fixtures.ts';

/** 300 timed queries scaled so that their p95 is exactly `p95` ms. */
function timed(p95: number, seed: number) {
  const xs = latencies(300, seed);
  const k = p95 / quantile(xs, 0.95);
  return latencyFrom(xs.map((x) => x * k));
}

const BIN = resolve('bin/ragbench.js');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

function ragbench(args: string[], cwd: string): Promise<Result> {
  return new Promise((done) => {
    execFile(process.execPath, [BIN, ...args], { cwd }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : -1) : 0;
      done({ code, stdout, stderr });
    });
  });
}

let dir: string;
const write = (name: string, value: unknown) =>
  writeFile(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value, null, 2));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ragbench-gate-cli-'));
  const suite = { name: 'cli', file: 'suite.yml' };
  await write('go.json', makeSummary([makeRun('a', { latency: timed(40, 1) }), makeRun('b')], { suite }));
  await write('nogo.json', makeSummary([makeRun('a'), makeRun('b', { accuracy: { citationAccuracy: 0.9 } })], { suite }));
  const invalid = makeSummary([makeRun('a')]) as unknown as { runs: { latency: Record<string, unknown> }[] };
  (invalid.runs[0] as { latency: Record<string, unknown> }).latency.p95Ms = 'fast';
  await write('invalid.json', invalid);
  await write('broken.json', '{"schema": "ragbench-summary/1", ');
  await write('baseline.json', makeSummary([makeRun('a', { latency: timed(20, 2) }), makeRun('b')], { runId: 'last-night' }));
  await write('v1.json', { ...makeSummary([makeRun('a')]), schema: 'ragbench-summary/1' });
  await write('bare-suite.yml', 'name: cli\ngolden: ../golden\nmatrix:\n  - chunker: [sentence]\n');
  await write('gate.yml', 'accuracy.citationAccuracy: ">= 0.95"\n');
  await write('bad-gate.yml', 'runs:\n  a:\n    latency.p95Ms: "fast"\n');
  // The suite the summaries name: its thresholds apply when no --thresholds is given.
  await write('suite.yml', 'name: cli\nthresholds:\n  latency.p95Ms: "< 30"\n');
  // What `ragbench watch` appends when a trigger fires (src/watch/audit.ts writes it in test/watch).
  const fired = {
    version: 1, time: '2026-12-01T12:00:00.000Z', service: 'http://127.0.0.1:8080', trigger: 'p95-latency', metric: 'p95_latency_seconds',
    comparison: 'above', value: 2.7, threshold: 2, windowSeconds: 300, coveredSeconds: 301, samples: 412, minSamples: 100, consecutive: 2,
    action: { ok: true, command: { argv: ['scripts/rollback.sh'], exitCode: 0, signal: null, timedOut: false, durationMs: 812, stdout: 'rolled back', stderr: '' } },
  };
  await write('audit.jsonl', `${JSON.stringify(fired)}\n`);
  await write('bad-audit.jsonl', '{"version": 1, "time": 3}\n');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ragbench gate --audit: rollbacks from production', () => {
  it('fails an otherwise GO verdict in every mode, naming the trigger, its value and window', async () => {
    for (const mode of ['local', 'nightly', 'predeploy']) {
      const r = await ragbench(['gate', 'go.json', '--thresholds', 'gate.yml', '--mode', mode, '--audit', 'audit.jsonl'], dir);
      expect(r.code, mode).toBe(1);
      expect(r.stdout).toContain('rollback trigger p95-latency fired at 2026-12-01T12:00:00.000Z');
      expect(r.stdout).toContain('p95_latency_seconds 2.7 above 2 over 300 s (412 samples');
    }
    expect((await ragbench(['gate', 'go.json', '--thresholds', 'gate.yml'], dir)).code).toBe(0);
  });

  it('refuses an invalid audit log naming the line and field (exit 2)', async () => {
    const r = await ragbench(['gate', 'go.json', '--audit', 'bad-audit.jsonl'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad-audit.jsonl: line 1: time:');
  });

  it('ragbench report --scale draws the scale results and refuses an invalid file naming the field', async () => {
    const entry = (store: string, target: number, p50Ms: number) => ({
      store, target, status: 'complete', inserted: target, buildSeconds: 1, insertPerSecond: target, progress: [{ inserted: target, seconds: 1 }],
      recallAt10: 1, query: { samples: 300, meanMs: p50Ms, p50Ms, p95Ms: p50Ms * 2, p99Ms: p50Ms * 3, maxMs: p50Ms * 4 }, budgetSeconds: 360,
    });
    await write('scale.json', {
      schema: 'ragbench-scale-vectors/1', startedAt: '2026-12-01T00:00:00Z', command: 'npm run bench:scale-vectors',
      machine: { cpus: 2, cpuModel: 'test', memoryGiB: 24, node: 'v20', platform: 'linux' },
      data: { dimensions: 512, clusters: 1000, spread: 0.5, seed: 7, queries: 300 },
      entries: [entry('faiss-flat', 100_000, 100), entry('faiss-flat', 1_000_000, 640)],
    });
    const r = await ragbench(['report', 'go.json', '--scale', 'scale.json', '--out', 'with-scale.html'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(await readFile(join(dir, 'with-scale.html'), 'utf8')).toContain('href="#scale"');
    await write('bad-scale.json', { schema: 'ragbench-scale-vectors/1', entries: 'none' });
    const bad = await ragbench(['report', 'go.json', '--scale', 'bad-scale.json'], dir);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('bad-scale.json: ');
    expect(bad.stderr).toContain('entries');
  });

  it('ragbench report --audit draws the rollbacks and re-judges the verdict', async () => {
    const r = await ragbench(['report', 'go.json', '--thresholds', 'gate.yml', '--audit', 'audit.jsonl', '--out', 'with-audit.html'], dir);
    expect(r.code, r.stderr).toBe(0);
    const html = await readFile(join(dir, 'with-audit.html'), 'utf8');
    expect(html).toContain('NO-GO');
    expect(html).toContain('href="#rollbacks"');
  });
});

describe('ragbench gate exit codes', () => {
  it('exits 0 on GO and prints the table', async () => {
    const r = await ragbench(['gate', 'go.json', '--thresholds', 'gate.yml'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('thresholds: gate.yml');
    expect(r.stdout).toMatch(/^GO: all \d+ checks passed$/m);
  });

  it('exits 1 on NO-GO and names the failed check', async () => {
    const r = await ragbench(['gate', 'nogo.json', '--thresholds', 'gate.yml'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^NO-GO: 1 of \d+ checks failed$/m);
    expect(r.stdout).toMatch(/FAIL +b +accuracy\.citationAccuracy >= 0\.95 +0\.900 +>= 0\.950/);
  });

  it("uses the suite's thresholds when none are given", async () => {
    const r = await ragbench(['gate', 'go.json'], dir);
    expect(r.code).toBe(1); // p95 40 ms against the suite's "< 30"
    expect(r.stdout).toContain('thresholds: suite.yml thresholds');
    expect(r.stdout).toMatch(/FAIL +a +latency\.p95Ms < 30 +40\.0 ms +< 30\.0 ms/);
  });

  it('exits 1 with a rollback trigger when a baseline comparison regresses', async () => {
    const r = await ragbench(['gate', 'go.json', '--thresholds', 'gate.yml', '--baseline', 'baseline.json'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Rollback triggers (baseline last-night):');
    expect(r.stdout).toContain('latency.p95Ms regressed on run "a": 40.0 ms vs baseline 20.0 ms; raw ratio (neither run measured a calibration) 2.000, 95% interval [');
    expect(r.stdout).toMatch(/mode local; thresholds: gate\.yml, baseline baseline\.json \(last-night\)/);
  });

  it('--mode nightly reports target misses without failing; regressions still fail', async () => {
    const misses = await ragbench(['gate', 'nogo.json', '--thresholds', 'gate.yml', '--mode', 'nightly'], dir);
    expect(misses.code).toBe(0);
    expect(misses.stdout).toMatch(/^GO: all \d+ blocking checks passed, 1 warning \(non-blocking\) \[nightly\]$/m);
    expect(misses.stdout).toMatch(/warn +b +accuracy\.citationAccuracy >= 0\.95 +0\.900 +>= 0\.950/);
    const regression = await ragbench(['gate', 'go.json', '--thresholds', 'gate.yml', '--baseline', 'baseline.json', '--mode', 'nightly'], dir);
    expect(regression.code).toBe(1);
    expect((await ragbench(['gate', 'nogo.json', '--thresholds', 'gate.yml', '--mode', 'predeploy'], dir)).code).toBe(1);
    expect((await ragbench(['gate', 'go.json', '--mode', 'weekly'], dir)).code).toBe(2);
  });

  it('exits 2 on a version-1 baseline and on a suite without thresholds: given as --thresholds', async () => {
    const v1 = await ragbench(['gate', 'go.json', '--baseline', 'v1.json'], dir);
    expect(v1.code).toBe(2);
    expect(v1.stderr).toContain('v1.json: schema: this baseline is ragbench-summary/1; this ragbench reads ragbench-summary/2, in which the metrics changed meaning');
    expect(v1.stderr).toContain('re-run the baseline');
    const suite = await ragbench(['gate', 'go.json', '--thresholds', 'bare-suite.yml'], dir);
    expect(suite.code).toBe(2);
    expect(suite.stderr).toContain('bare-suite.yml: looks like a suite (it has name:, golden:, matrix:) but sets no thresholds:');
  });

  it('exits 2 on an invalid summary and names the field', async () => {
    const r = await ragbench(['gate', 'invalid.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid.json: runs.0.latency.p95Ms: Invalid input: expected number, received string');
    const broken = await ragbench(['gate', 'broken.json'], dir);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toContain('broken.json: not valid JSON');
  });

  it('exits 2 on an invalid thresholds file and names the field', async () => {
    const r = await ragbench(['gate', 'go.json', '--thresholds', 'bad-gate.yml'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('bad-gate.yml: runs.a.latency.p95Ms: expected "<op> <number>"');
  });

  it('exits 2 when a named file does not exist: the input is wrong, not the program', async () => {
    expect(await ragbench(['gate', 'nope.json'], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('summary nope.json: no such file') });
    expect(await ragbench(['gate', 'go.json', '--baseline', 'gone.json'], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('baseline gone.json: no such file') });
    expect(await ragbench(['gate', 'go.json', '--thresholds', 'gone.yml'], dir)).toMatchObject({ code: 2, stderr: expect.stringContaining('thresholds gone.yml: no such file') });
    expect((await ragbench(['gate'], dir)).code).toBe(2); // missing argument: a usage error
  });

  it('exits 3 on a runtime error (the JUnit file cannot be written)', async () => {
    const r = await ragbench(['gate', 'go.json', '--junit', join(dir, 'no', 'such', 'dir', 'j.xml')], dir);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('ENOENT');
  });

  it('writes JUnit XML with --junit', async () => {
    const r = await ragbench(['gate', 'nogo.json', '--thresholds', 'gate.yml', '--junit', 'junit.xml'], dir);
    expect(r.code).toBe(1);
    const xml = await readFile(join(dir, 'junit.xml'), 'utf8');
    expect(xml).toContain('<failure message="b: accuracy.citationAccuracy = 0.900, expected &gt;= 0.950" type="threshold">');
  });
});

describe('ragbench report', () => {
  it('re-renders report.html beside the summary from its queries.jsonl', async () => {
    const run = await mkdtemp(join(dir, 'run-'));
    // p95 doubled against baseline.json: the report's own judgement is NO-GO.
    const summary: Summary = makeSummary([makeRun('a', { latency: timed(40, 1) })]);
    await writeFile(join(run, 'summary.json'), JSON.stringify(summary));
    await writeFile(join(run, 'queries.jsonl'), `${JSON.stringify(makeQuery('a', 'q1'))}\n${JSON.stringify(makeQuery('a', 'q2'))}\n`);
    const r = await ragbench(['report', join(run, 'summary.json'), '--baseline', 'baseline.json'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(join(run, 'report.html'));
    const html = await readFile(join(run, 'report.html'), 'utf8');
    expect(html).toContain('<div class="decision">NO-GO</div>');
    // The question data is inlined compressed now (test/report checks the drill-down in a browser).
  });

  it('exits 2 on a bad queries.jsonl line, naming file, line and field', async () => {
    const run = await mkdtemp(join(dir, 'run-'));
    await writeFile(join(run, 'summary.json'), JSON.stringify(makeSummary([makeRun('a')])));
    await writeFile(join(run, 'queries.jsonl'), `${JSON.stringify(makeQuery('a', 'q1'))}\n${JSON.stringify({ ...makeQuery('a', 'q2'), searchMs: 'slow' })}\n`);
    const r = await ragbench(['report', join(run, 'summary.json')], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${join(run, 'queries.jsonl')}:2: searchMs: Invalid input: expected number, received string`);
  });

  it('renders without a drill-down when there is no queries.jsonl, and says so', async () => {
    const run = await mkdtemp(join(dir, 'run-'));
    await writeFile(join(run, 'summary.json'), JSON.stringify(makeSummary([makeRun('a')])));
    const r = await ragbench(['report', join(run, 'summary.json'), '--out', join(run, 'x.html')], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('no queries.jsonl beside');
    expect(await readFile(join(run, 'x.html'), 'utf8')).toContain('<div class="decision">GO</div>');
  });
});
