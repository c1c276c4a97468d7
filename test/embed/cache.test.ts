import { appendFileSync, existsSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cacheFileName, cacheKey, CachedEmbedder, DEFAULT_CACHE_DIR } from '../../src/embed/cache.ts';
import type { Embedder } from '../../src/embed/types.ts';
import { UseLiteEmbedder } from '../../src/embed/use-lite.ts';
import { loadSquad } from '../retrieve/squad.ts';

const model = new UseLiteEmbedder();
afterAll(() => model.close());

/** The shared model, so each CachedEmbedder (which closes its inner embedder) leaves it open. */
const shared: Embedder = {
  id: model.id,
  dimensions: model.dimensions,
  embedDocuments: (t) => model.embedDocuments(t),
  embedQuery: (t) => model.embedQuery(t),
};

const questions = loadSquad(2, 2).questions.map((q) => q.question);
const freshDir = () => mkdtempSync(join(tmpdir(), 'ragbench-embcache-'));

describe('CachedEmbedder', () => {
  it('computes each text once, then serves identical vectors from disk in a new process-like instance', async () => {
    const dir = freshDir();
    const texts = questions.slice(0, 12);
    const first = new CachedEmbedder(shared, { dir });
    const computed = await first.embedDocuments(texts);
    expect(first.stats()).toMatchObject({ hits: 0, misses: 12 });
    expect(first.stats().modelSeconds).toBeGreaterThan(0);
    await first.close();
    expect(statSync(first.file).size).toBe(12 * (40 + 512 * 4 + 4));

    const second = new CachedEmbedder(shared, { dir });
    const cached = await second.embedDocuments(texts);
    expect(second.stats()).toEqual({ hits: 12, misses: 0, modelSeconds: 0, skippedBytes: 0 });
    expect(cached).toEqual(computed);
    await second.close();
  });

  it('embeds only the misses of a mixed batch, once per distinct text, in input order', async () => {
    const dir = freshDir();
    const cache = new CachedEmbedder(shared, { dir });
    const [q0, q1, q2] = questions as [string, string, string];
    const [v0] = await cache.embedDocuments([q0]);
    const out = await cache.embedDocuments([q1, q0, q1, q2]);
    expect(cache.stats()).toMatchObject({ hits: 2, misses: 3 }); // q0 cached, q1 repeated
    expect(out[1]).toEqual(v0);
    expect(out[0]).toEqual(out[2]);
    const direct = await model.embedDocuments([q1, q2]);
    for (const [i, j] of [[0, 0], [3, 1]] as const) {
      const a = out[i] as Float32Array;
      const b = direct[j] as Float32Array;
      expect(a.reduce((s, x, d) => s + x * (b[d] as number), 0)).toBeCloseTo(1, 5);
    }
    await cache.close();
  });

  it('hands out copies: mutating a returned vector does not change the cache', async () => {
    const cache = new CachedEmbedder(shared, { dir: freshDir() });
    const [v] = await cache.embedDocuments([questions[0] as string]);
    const original = Float32Array.from(v as Float32Array);
    (v as Float32Array).fill(0);
    expect((await cache.embedDocuments([questions[0] as string]))[0]).toEqual(original);
    await cache.close();
  });

  it('keeps every entry written before a crash mid-write, and appends after the torn tail', async () => {
    const dir = freshDir();
    const writer = new CachedEmbedder(shared, { dir });
    const before = await writer.embedDocuments(questions.slice(0, 5));
    await writer.close();
    appendFileSync(writer.file, Buffer.from('RBEV\u0000\u0002\u0000\u0000half a record'));

    const afterCrash = new CachedEmbedder(shared, { dir });
    expect(await afterCrash.embedDocuments(questions.slice(0, 5))).toEqual(before);
    expect(afterCrash.stats()).toMatchObject({ hits: 5, misses: 0 });
    expect(afterCrash.stats().skippedBytes).toBe(21);
    const later = await afterCrash.embedDocuments(questions.slice(5, 8));
    await afterCrash.close();

    const reader = new CachedEmbedder(shared, { dir });
    expect(await reader.embedDocuments(questions.slice(0, 8))).toEqual([...before, ...later]);
    expect(reader.stats().misses).toBe(0);
  });

  it('lets concurrent writers append to one file without losing either', async () => {
    const dir = freshDir();
    const a = new CachedEmbedder(shared, { dir });
    const b = new CachedEmbedder(shared, { dir });
    const [va, vb] = await Promise.all([
      a.embedDocuments(questions.slice(0, 6)),
      b.embedDocuments(questions.slice(6, 12)),
    ]);
    await Promise.all([a.close(), b.close()]);
    const reader = new CachedEmbedder(shared, { dir });
    expect(await reader.embedDocuments(questions.slice(0, 12))).toEqual([...va, ...vb]);
    expect(reader.stats()).toMatchObject({ hits: 12, misses: 0, skippedBytes: 0 });
  });

  it('passes queries through uncached: their latency is what a benchmark measures', async () => {
    const dir = freshDir();
    const cache = new CachedEmbedder(shared, { dir });
    const q = await cache.embedQuery(questions[0] as string);
    expect(q).toEqual(await model.embedQuery(questions[0] as string));
    expect(cache.stats()).toMatchObject({ hits: 0, misses: 0 });
    expect(existsSync(cache.file)).toBe(false);
    await cache.close();
  });

  it('refuses vectors of a dimensionality other than the embedder declares', async () => {
    const misdeclared: Embedder = { ...shared, id: 'misdeclared', dimensions: 384 };
    const cache = new CachedEmbedder(misdeclared, { dir: freshDir() });
    await expect(cache.embedDocuments(['a text'])).rejects.toThrow('misdeclared: embedder returned a 512-d vector, it declares 384');
  });

  it('refuses an embedder that returns the wrong number of vectors', async () => {
    const dropsOne: Embedder = { ...shared, id: 'drops-one', embedDocuments: async (t) => (await model.embedDocuments(t)).slice(1) };
    const cache = new CachedEmbedder(dropsOne, { dir: freshDir() });
    await expect(cache.embedDocuments(['one', 'two'])).rejects.toThrow('drops-one: embedder returned 1 vectors for 2 texts');
  });

  it('reports a write failure to the caller and keeps working for later writes', async () => {
    const dir = freshDir();
    const blocker = join(dir, 'not-a-dir');
    appendFileSync(blocker, 'a file where the cache directory should be');
    const cache = new CachedEmbedder(shared, { dir: join(blocker, 'cache') });
    await expect(cache.embedDocuments(['x'])).rejects.toThrow(/EEXIST|ENOTDIR/);
    await expect(cache.embedDocuments(['y'])).rejects.toThrow(/EEXIST|ENOTDIR/);
  });
});

describe('cache keys and files', () => {
  it('keys by model id and exact text, unambiguously', () => {
    expect(cacheKey('m', 'text').equals(cacheKey('m', 'text'))).toBe(true);
    expect(cacheKey('m', 'text').equals(cacheKey('m2', 'text'))).toBe(false);
    expect(cacheKey('ab', 'c').equals(cacheKey('a', 'bc'))).toBe(false);
    expect(cacheKey('m', 'text')).toHaveLength(32);
  });

  it('names one readable file per model id, distinct after sanitising', () => {
    expect(cacheFileName('use-lite')).toBe('use-lite.embeddings');
    expect(cacheFileName('minilm:fp32')).toMatch(/^minilm_fp32-[0-9a-f]{8}\.embeddings$/);
    expect(cacheFileName('a/b')).not.toBe(cacheFileName('a:b'));
  });

  it('defaults to .cache/embeddings under the working directory', () => {
    const cache = new CachedEmbedder(shared);
    expect(cache.file).toBe(join(process.cwd(), DEFAULT_CACHE_DIR, 'use-lite.embeddings'));
    expect(cache.id).toBe('use-lite');
    expect(cache.dimensions).toBe(512);
  });
});
