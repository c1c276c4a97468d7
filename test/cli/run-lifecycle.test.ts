import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSuite } from '../../src/suite/runner.ts';
import { SummarySchema } from '../../src/summary/schema.ts';
import { InputError } from '../../src/util/errors.ts';

const MINI = 'test/fixtures/golden-mini';

async function suiteFile(lines: string[]): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ragbench-life-'));
  const file = join(dir, 'suite.yml');
  await writeFile(file, [...lines, `golden: ${join(process.cwd(), MINI)}`].join('\n'));
  return { dir, file };
}

/** Runs the real CLI; resolves with its exit code and output. `onStderr` may send it signals. */
function cli(args: string[], onStderr?: (text: string, kill: (s: NodeJS.Signals) => void) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/ragbench.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      onStderr?.(stderr, (s) => child.kill(s));
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('ragbench run: what a crash, a Ctrl-C or an all-errored suite leaves behind', () => {
  it('a bad stage option anywhere in the suite fails at load (exit 2) before any work', async () => {
    const { dir, file } = await suiteFile([
      'name: typo',
      'matrix: [{ retriever: [bm25, dense] }]',
      'runs: [{ retriever: bm25, chunker: { name: fixed, overlapp: 10 } }]',
    ]);
    const r = await cli(['run', file, '--out', join(dir, 'reports')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/run "bm25·fixed10": chunker "fixed": .*overlapp/);
    await expect(readFile(join(dir, 'reports', 'latest', 'summary.json'))).rejects.toThrow();
  });

  it('Ctrl-C keeps the finished runs: summary.json on disk, the run in progress marked interrupted, exit 130', async () => {
    const { dir, file } = await suiteFile([
      'name: interrupted',
      'latency: { samples: 40000, rounds: 2 }',
      'runs: [{ name: first, retriever: bm25 }, { name: second, retriever: bm25, chunker: fixed }]',
    ]);
    let sent = false;
    const r = await cli(['run', file, '--out', join(dir, 'reports'), '--cache', join(dir, 'cache')], (text, kill) => {
      if (!sent && text.includes('run 2/2')) {
        sent = true;
        kill('SIGINT');
      }
    });
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('interrupted');
    const summary = SummarySchema.parse(JSON.parse(await readFile(join(dir, 'reports', 'latest', 'summary.json'), 'utf8')));
    expect(summary.runs.map((x) => [x.name, x.status])).toEqual([
      ['first', 'completed'],
      ['second', 'interrupted'],
    ]);
    expect(summary.runs[0]?.accuracy?.semanticAccuracy).toBeGreaterThan(0.5);
    const queries = (await readFile(join(dir, 'reports', 'latest', 'queries.jsonl'), 'utf8')).trim().split('\n');
    expect(queries).toHaveLength(summary.golden.sample.size);
  });

  it('exits 3 when every run errored, naming the error', async () => {
    const { dir, file } = await suiteFile([
      'name: all-errored',
      `runs: [{ embedder: { name: minilm, modelsDir: ${join(tmpdir(), 'no-models-here')} } }]`,
    ]);
    const r = await cli(['run', file, '--out', join(dir, 'reports'), '--cache', join(dir, 'cache')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/every run errored .*no-models-here/s);
    const summary = SummarySchema.parse(JSON.parse(await readFile(join(dir, 'reports', 'latest', 'summary.json'), 'utf8')));
    expect(summary.runs[0]?.status).toBe('errored');
  });

  it('candidate must name a run of the suite', async () => {
    const { dir, file } = await suiteFile(['name: c', 'candidate: nobody', 'runs: [{ retriever: bm25 }]']);
    await expect(runSuite({ suiteFile: file, outDir: join(dir, 'reports') })).rejects.toThrowError(InputError);
    await expect(runSuite({ suiteFile: file, outDir: join(dir, 'reports') })).rejects.toThrowError(/candidate: no run is named "nobody"; runs: bm25/);
  });
});
