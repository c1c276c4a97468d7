import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PooledEmbedder } from '../../src/embed/pool.ts';
import { createPooledEmbedder } from '../../src/embed/registry.ts';
import { TransformersEmbedder } from '../../src/embed/transformers.ts';
import { UseLiteEmbedder } from '../../src/embed/use-lite.ts';
import { InputError } from '../../src/util/errors.ts';

interface SquadLine {
  question: string;
  evidence: { text: string }[];
}

const squad = readFileSync(fileURLToPath(new URL('../../golden/squad-dev/questions.jsonl', import.meta.url)), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as SquadLine);
const paragraphs = [...new Set(squad.flatMap((q) => q.evidence.map((e) => e.text)))];
const questions = squad.map((q) => q.question);

/** Slices of 4 alternate long paragraphs and short questions, so later slices often finish first. */
const TEXTS = [
  ...paragraphs.slice(0, 4),
  ...questions.slice(0, 4),
  ...paragraphs.slice(4, 8),
  ...questions.slice(4, 8),
  ...questions.slice(8, 10),
];

function maxAbsDiff(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  expect(a).toHaveLength(b.length);
  let m = 0;
  a.forEach((v, i) => v.forEach((x, d) => (m = Math.max(m, Math.abs(x - (b[i] as Float32Array)[d]!)))));
  return m;
}

/** Fails instead of hanging: the pool must answer (here, reject) within `ms`. */
function within<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function pooledUseLite(batchSize: number, size: number): PooledEmbedder {
  const e = createPooledEmbedder('use-lite', { batchSize }, { size });
  if (!(e instanceof PooledEmbedder)) throw new Error('createPooledEmbedder should pool use-lite');
  return e;
}

const local = new UseLiteEmbedder(4);
const pool = pooledUseLite(4, 2);
let reference: Float32Array[] = [];

beforeAll(async () => {
  reference = await local.embedDocuments(TEXTS);
});
afterAll(async () => {
  await pool.close();
  await local.close();
});

describe('PooledEmbedder on real USE-lite', () => {
  it('gives the in-process vectors (within 1e-6) using two workers, with the same id and size', async () => {
    expect([pool.id, pool.dimensions, pool.size, pool.workers]).toEqual(['use-lite', 512, 2, 0]);
    const pooled = await pool.embedDocuments(TEXTS);
    expect(pool.workers).toBe(2);
    expect(maxAbsDiff(pooled, reference)).toBeLessThanOrEqual(1e-6);
    expect(await pool.embedDocuments([])).toEqual([]);
  });

  it('keeps input order across workers and across concurrent calls', async () => {
    const reversed = [...TEXTS].reverse();
    const [forward, backward, single] = await Promise.all([
      pool.embedDocuments(TEXTS),
      pool.embedDocuments(reversed),
      pool.embedDocuments([TEXTS[5] as string]),
    ]);
    expect(maxAbsDiff(forward, reference)).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(backward, [...reference].reverse())).toBeLessThanOrEqual(1e-6);
    expect(maxAbsDiff(single, [reference[5] as Float32Array])).toBeLessThanOrEqual(1e-6);
    // The texts are distinct, so a swapped slice could not pass the checks above.
    expect(maxAbsDiff([reference[0] as Float32Array], [reference[4] as Float32Array])).toBeGreaterThan(1e-2);
  });

  it('embeds queries in this thread, or in a worker when given no query embedder: same vector', async () => {
    const q = questions[20] as string;
    const expected = await local.embedQuery(q);
    const workers = pool.workers;
    expect(maxAbsDiff([await pool.embedQuery(q)], [expected])).toBeLessThanOrEqual(1e-6);
    expect(pool.workers).toBe(workers);
    const viaWorker = createPooledEmbedder('use-lite', {}, { size: 1, queries: 'workers' });
    if (!(viaWorker instanceof PooledEmbedder)) throw new Error('queries in workers need a pool, even of one');
    try {
      expect(maxAbsDiff([await viaWorker.embedQuery(q)], [expected])).toBeLessThanOrEqual(1e-6);
      expect(viaWorker.workers).toBe(1);
    } finally {
      await viaWorker.close();
    }
  });
});

describe('PooledEmbedder failures: a clear rejection, never a hang', () => {
  it('rejects every pending call with the model name when the worker cannot create the model', async () => {
    const bad = new PooledEmbedder({ name: 'no-such-model', options: {} }, { id: 'x', dimensions: 512, size: 2, sliceSize: 1 });
    try {
      const calls: Promise<unknown>[] = [bad.embedDocuments(['a', 'b', 'c']), bad.embedQuery('d')];
      for (const call of calls) {
        await expect(within(call, 60_000)).rejects.toThrow(
          /embedder pool for model "no-such-model": worker \d failed: InputError: unknown embedder "no-such-model"/,
        );
      }
    } finally {
      await bad.close();
    }
  });

  it('passes the model loader error through (missing transformers.js weights name the model and the fix)', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ragbench-pool-models-'));
    const bge = new PooledEmbedder({ name: 'bge-small', options: { modelsDir: empty } }, { id: 'bge-small', dimensions: 384, size: 1 });
    try {
      await expect(within(bge.embedDocuments(['a passage']), 60_000)).rejects.toThrow(
        /model "bge-small": worker 1 failed: ModelWeightsMissingError: bge-small: model files not found in .*ragbench-pool-models-/,
      );
    } finally {
      await bge.close();
    }
  });

  it('fails pending calls when a worker dies (heap limit) and leaves no workers behind', async () => {
    const starved = new PooledEmbedder(
      { name: 'use-lite', options: {} },
      { id: 'use-lite', dimensions: 512, size: 2, sliceSize: 1, resourceLimits: { maxOldGenerationSizeMb: 4 } },
    );
    await expect(within(starved.embedDocuments(['a', 'b', 'c']), 60_000)).rejects.toThrow(
      /model "use-lite": worker \d (failed: .*memory|exited with code)/,
    );
    expect(starved.workers).toBe(0);
    await starved.close();
  });

  it('refuses a pool size or slice size below 1, and an unknown model name at creation', () => {
    const spec = { name: 'use-lite', options: {} };
    expect(() => new PooledEmbedder(spec, { id: 'use-lite', dimensions: 512, size: 0 })).toThrow(/size must be a whole number ≥ 1, got 0/);
    expect(() => new PooledEmbedder(spec, { id: 'use-lite', dimensions: 512, sliceSize: 1.5 })).toThrow(/sliceSize/);
    expect(() => createPooledEmbedder('nope')).toThrow(InputError);
  });

  it('keeps the model in this thread for a pool of one worker, and transformers.js models always', () => {
    expect(createPooledEmbedder('use-lite', {}, { size: 1 })).toBeInstanceOf(UseLiteEmbedder);
    // ONNX Runtime's native binding cannot be loaded by a second thread of a process.
    const bge = createPooledEmbedder('bge-small', { modelsDir: mkdtempSync(join(tmpdir(), 'ragbench-pool-models-')) });
    expect(bge).toBeInstanceOf(TransformersEmbedder);
    expect([bge.id, bge.dimensions]).toEqual(['bge-small', 384]);
  });
});

describe('PooledEmbedder.close', () => {
  it('rejects calls in flight, stops every worker, and a later call starts them again', async () => {
    const p = pooledUseLite(2, 2);
    // The expectation is attached before close(): TF.js turns an unhandled rejection into a crash.
    const inFlight = expect(p.embedDocuments(paragraphs.slice(0, 6))).rejects.toThrow(
      /model "use-lite": the pool was closed while embedding/,
    );
    await new Promise((r) => setTimeout(r, 50));
    expect(p.workers).toBe(2);
    await p.close();
    expect(p.workers).toBe(0);
    await inFlight;
    expect(maxAbsDiff(await p.embedDocuments(TEXTS.slice(4, 8)), reference.slice(4, 8))).toBeLessThanOrEqual(1e-6);
    await p.close();
    expect(p.workers).toBe(0);
  });

  const SCRIPT = fileURLToPath(new URL('./pool-exit-script.ts', import.meta.url));
  function runScript(mode: string): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', SCRIPT, mode], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`pool-exit-script ${mode} did not exit within 90 s`));
      }, 90_000);
      child.on('error', reject);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, out });
      });
    });
  }

  it('lets a process exit by itself after close(), and even when an idle pool was never closed', async () => {
    const [closed, idle] = await Promise.all([runScript('close'), runScript('idle')]);
    expect(closed).toEqual({ code: 0, out: '{"vectors":6,"during":2,"after":0}\n' });
    expect(idle).toEqual({ code: 0, out: '{"vectors":6,"during":2,"after":2}\n' });
  });
});
