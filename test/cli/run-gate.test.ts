import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { readReportData } from '../../src/report/pack.ts';
import { SummarySchema } from '../../src/summary/schema.ts';

const exec = promisify(execFile);

async function run(suiteText: string, ...flags: string[]): Promise<{ code: number; stdout: string; stderr: string; out: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'run-gate-'));
  const suite = join(dir, 'suite.yml');
  await writeFile(suite, suiteText.replace('GOLDEN', resolve('test/fixtures/golden-mini')));
  const out = join(dir, 'reports');
  const args = ['bin/ragbench.js', 'run', suite, '--out', out, '--cache', join(dir, 'cache'), ...flags];
  try {
    const r = await exec(process.execPath, args, { maxBuffer: 1 << 24 });
    return { code: 0, ...r, out };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr, out };
  }
}

const SUITE = (chunker: string): string =>
  [
    'name: gate-test',
    'golden: GOLDEN',
    'k: 3',
    'latency: { samples: 40, rounds: 2 }',
    `defaults: { extractor: mupdf, retriever: bm25, chunker: ${chunker} }`,
    'thresholds:',
    '  accuracy.semanticAccuracy: ">= 0.8"',
    '  accuracy.citationAccuracy: ">= 0.99"',
  ].join('\n');

describe('ragbench run --gate (real runs on the mini golden set)', () => {
  let go: Awaited<ReturnType<typeof run>>;
  let noGo: Awaited<ReturnType<typeof run>>;

  beforeAll(async () => {
    go = await run(SUITE('sentence'), '--gate');
    // A deliberately broken chunker: 40-character windows cut every answer's context apart.
    noGo = await run(SUITE('{ name: fixed, size: 40, overlap: 0 }'), '--gate');
  }, 240_000);

  it('a good configuration is GO: exit 0, verdict in summary.json, junit.xml and report.html written', async () => {
    expect(go.code).toBe(0);
    expect(go.stdout).toMatch(/\bGO\b/);
    const summary = SummarySchema.parse(JSON.parse(await readFile(join(go.out, 'latest', 'summary.json'), 'utf8')));
    expect(summary.verdict?.decision).toBe('GO');
    await access(join(go.out, 'latest', 'junit.xml'));
    const html = await readFile(join(go.out, 'latest', 'report.html'), 'utf8');
    // The report is rendered from this run's data (the browser test in test/report checks the charts draw).
    expect(html.includes(summary.runId)).toBe(true);
    expect(JSON.stringify(readReportData(html))).toContain('ragbench-summary/2');
  });

  it('a degraded configuration is NO-GO: exit 1 naming the failed check', async () => {
    expect(noGo.code).toBe(1);
    expect(noGo.stdout).toContain('NO-GO');
    expect(noGo.stdout).toContain('accuracy.semanticAccuracy');
    const summary = SummarySchema.parse(JSON.parse(await readFile(join(noGo.out, 'latest', 'summary.json'), 'utf8')));
    const failed = summary.verdict?.checks.filter((c) => !c.pass).map((c) => c.metric);
    expect(failed).toContain('accuracy.semanticAccuracy');
    expect(failed).not.toContain('accuracy.citationAccuracy');
  });

  it('a missing baseline fails fast with exit 2, before running', async () => {
    const r = await run(SUITE('sentence'), '--gate', '--baseline', '/no/such/summary.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('/no/such/summary.json');
  });
});
