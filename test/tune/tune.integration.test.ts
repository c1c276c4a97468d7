import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGoldenSet } from '../../src/evaluate/golden.ts';
import { loadSuite } from '../../src/suite/load.ts';
import { assignSplits, DEFAULT_SPLIT_RULE } from '../../src/tune/splits.ts';
import { tuneSuite } from '../../src/tune/tune.ts';
import { InputError } from '../../src/util/errors.ts';

const exec = promisify(execFile);
const MINI = resolve('test/fixtures/golden-mini');

/** BM25 over fixed windows of two sizes: no embeddings, so the whole tuning takes seconds. */
const SUITE = `# tiny tuning suite
name: tiny
golden: ./golden
split: test
candidate: lexical
runs:
  - name: lexical
    retriever: bm25
    chunker: { name: fixed, size: 1200, overlap: 0 } # before tuning
tune:
  run: lexical
  parameters:
    chunker.size: [ 150, 1200 ]
`;

describe('ragbench tune on golden-mini with a dev split', () => {
  let dir: string;
  let suiteFile: string;
  let devAnswerable: number;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ragbench-tune-it-'));
    await cp(MINI, join(dir, 'golden'), { recursive: true });
    const set = await loadGoldenSet(join(dir, 'golden'));
    const file = join(dir, 'golden', 'questions.jsonl');
    const split = assignSplits(await readFile(file, 'utf8'), set.documents.map((d) => d.id), DEFAULT_SPLIT_RULE);
    await writeFile(file, split.text);
    devAnswerable = split.counts.dev.answerable;
    suiteFile = join(dir, 'tiny.yml');
    await writeFile(suiteFile, SUITE);
  });
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  it('scores every candidate on the dev questions only and picks the best', async () => {
    const result = await tuneSuite({ suiteFile, cacheDir: join(dir, 'cache'), now: new Date('2026-12-01T00:00:00Z'), commit: null });
    expect(devAnswerable).toBeGreaterThan(0);
    expect(result.candidates.map((c) => c.settings)).toEqual([[{ parameter: 'chunker.size', value: 150 }], [{ parameter: 'chunker.size', value: 1200 }]]);
    for (const c of result.candidates) {
      expect(c.error).toBeUndefined();
      expect(c.questions).toBe(devAnswerable);
      expect(c.score).toBeGreaterThanOrEqual(0);
      expect(c.interval?.low).toBeLessThanOrEqual(c.score ?? NaN);
      expect(c.interval?.high).toBeGreaterThanOrEqual(c.score ?? NaN);
    }
    const top = Math.max(...result.candidates.map((c) => c.score ?? -1));
    expect(result.best.score).toBe(top);
    expect(result.tunedRun.chunker).toEqual({ name: 'fixed', size: result.best.settings[0]?.value, overlap: 0 });
    expect(result.provenance).toMatch(
      new RegExp(`^ragbench tune on golden-mini dev split, ${devAnswerable} answerable questions, objective semanticAccuracy \\d\\.\\d{3} \\[\\d\\.\\d{3}, \\d\\.\\d{3}\\], best of 2 candidates for run lexical, 2026-12-01$`),
    );
  });

  it('prints the table and, with --write, records the values in the suite keeping its comments', async () => {
    const { stdout } = await exec(process.execPath, ['bin/ragbench.js', 'tune', suiteFile, '--write', '--cache', join(dir, 'cache')], { maxBuffer: 1 << 24 });
    expect(stdout).toMatch(/^#\s+chunker\.size\s+semanticAccuracy \[95% CI\]\s+nDCG@10/m);
    expect(stdout).toMatch(/^1\s+150\s+\d\.\d{3} \[/m);
    expect(stdout).toMatch(/^2\s+1200\s+\d\.\d{3} \[/m);
    expect(stdout).toContain('<- chosen');
    const text = await readFile(suiteFile, 'utf8');
    expect(text).toContain('# tiny tuning suite');
    expect(text).toContain('# before tuning');
    const suite = await loadSuite(suiteFile);
    const chosen = suite.tuned[0];
    expect(suite.tuned).toHaveLength(1);
    expect(chosen).toMatchObject({ parameter: 'chunker.size', source: expect.stringMatching(/^ragbench tune on golden-mini dev split, /) });
    expect(suite.runs[0]?.chunker).toEqual({ name: 'fixed', size: chosen?.value, overlap: 0 });
    expect(stdout).toContain(`source: ${chosen?.source ?? ''}`);
  });

  it('refuses a golden set without a dev split', async () => {
    const plain = join(dir, 'plain.yml');
    await writeFile(plain, SUITE.replace('golden: ./golden', `golden: ${MINI}`));
    await expect(tuneSuite({ suiteFile: plain })).rejects.toThrow(InputError);
    await expect(tuneSuite({ suiteFile: plain })).rejects.toThrow(/no question has "split": "dev"; tuning needs a dev split/);
  });
});
