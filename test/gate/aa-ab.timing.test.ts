import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateGate, parseThresholds } from '../../src/gate/index.ts';
import { runSuite } from '../../src/suite/runner.ts';
import type { Summary } from '../../src/summary/schema.ts';

/**
 * The gate judged on real runs of the same suite: identical code twice (A/A) must be GO,
 * and the same code with every query made 50 % slower (A/B, `inject.slowdown`) must be
 * NO-GO with a latency rollback trigger. Dense retrieval with the real USE-lite model, so the
 * timed path is a real query embedding plus a FAISS search.
 */
const THRESHOLDS = parseThresholds('defaults: false\ntolerances:\n  latency.p95Ms: "+20%"\n  accuracy.semanticAccuracy: "-0.01"\n', 'aa-ab');

describe('A/A is GO, A/B (+50 % latency) is NO-GO, on real runs', () => {
  let a: Summary;
  let aAgain: Summary;
  let slower: Summary;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ragbench-aa-'));
    const suite = (extra: string): string =>
      [
        'name: aa-ab',
        `golden: ${resolve('test/fixtures/golden-mini')}`,
        'latency: { samples: 300, rounds: 3 }',
        'defaults: { extractor: mupdf, chunker: sentence, retriever: dense, store: faiss-flat }',
        extra,
      ].join('\n');
    await writeFile(join(dir, 'a.yml'), suite(''));
    await writeFile(join(dir, 'b.yml'), suite('inject: { slowdown: 1.5 }'));
    const run = async (file: string): Promise<Summary> =>
      (await runSuite({ suiteFile: join(dir, file), outDir: join(dir, 'reports'), cacheDir: join(dir, 'cache') })).summary;
    a = await run('a.yml');
    aAgain = await run('a.yml');
    slower = await run('b.yml');
  }, 600_000);

  it('identical code run twice: GO, latency judged by a calibrated bootstrap test', () => {
    const verdict = evaluateGate(aAgain, { thresholds: THRESHOLDS, baseline: a });
    const latency = verdict.checks.find((c) => c.metric === 'latency.p95Ms' && c.source === 'baseline');
    console.log(`A/A: ${latency?.detail}`);
    expect(latency?.test?.method).toMatch(/bootstrap/);
    expect(verdict.triggers).toEqual([]);
    expect(verdict.decision).toBe('GO');
  });

  it('the same code 50 % slower: NO-GO naming the latency trigger, its interval and p-value', () => {
    const verdict = evaluateGate(slower, { thresholds: THRESHOLDS, baseline: a });
    const latency = verdict.checks.find((c) => c.metric === 'latency.p95Ms' && c.source === 'baseline');
    console.log(`A/B: ${latency?.detail}`);
    expect(verdict.decision, latency?.detail).toBe('NO-GO');
    const trigger = verdict.triggers.find((t) => t.metric === 'latency.p95Ms');
    expect(trigger).toBeDefined();
    // The limit is the baseline's p95 plus its tolerance, in this run's machine speed (calibrated).
    expect(trigger!.value).toBeGreaterThan(trigger!.limit);
    expect(trigger!.test?.interval?.low).toBeGreaterThan(1);
    // Accuracy did not change: the slowdown is the only trigger.
    expect(verdict.triggers.map((t) => t.metric)).toEqual(['latency.p95Ms']);
  });
});
