import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CacheAppender, decodeRecords, encodeRecords, loadCacheFile, type CacheEntry } from '../../src/embed/cache-file.ts';
import { cacheKey } from '../../src/embed/cache.ts';

function entry(text: string, values: number[]): CacheEntry {
  return { key: cacheKey('m', text), vector: Float32Array.from(values) };
}

const a = entry('alpha', [0.25, -0.5, 1]);
const b = entry('beta', [1, 2, 3]);
const c = entry('gamma', [-1, 0, 0.125]);
const hex = (e: CacheEntry) => e.key.toString('hex');

describe('embedding cache file format', () => {
  it('round-trips records, later records for a key replacing earlier ones', () => {
    const newerA = entry('alpha', [9, 9, 9]);
    const { entries, skippedBytes } = decodeRecords(encodeRecords([a, b, newerA]), 3);
    expect(skippedBytes).toBe(0);
    expect([...entries.keys()]).toEqual([hex(a), hex(b)]);
    expect(entries.get(hex(a))).toEqual(newerA.vector);
    expect(entries.get(hex(b))).toEqual(b.vector);
  });

  it('keeps every earlier record when the last write was torn', () => {
    const whole = encodeRecords([a, b, c]);
    const torn = whole.subarray(0, whole.length - 5);
    const { entries, skippedBytes } = decodeRecords(torn, 3);
    expect([...entries.keys()]).toEqual([hex(a), hex(b)]);
    expect(skippedBytes).toBe(encodeRecords([c]).length - 5);
  });

  it('resynchronises after a torn record followed by later appends', () => {
    const first = encodeRecords([a]);
    const tornB = encodeRecords([b]).subarray(0, 20);
    const data = Buffer.concat([first, tornB, encodeRecords([c])]);
    const { entries } = decodeRecords(data, 3);
    expect([...entries.keys()]).toEqual([hex(a), hex(c)]);
  });

  it('drops a record whose bytes were corrupted (crc mismatch) but keeps its neighbours', () => {
    const data = encodeRecords([a, b, c]);
    const recordSize = data.length / 3;
    data[recordSize + 45] = (data[recordSize + 45] as number) ^ 0xff; // inside b's vector
    const { entries } = decodeRecords(data, 3);
    expect([...entries.keys()]).toEqual([hex(a), hex(c)]);
    expect(entries.get(hex(c))).toEqual(c.vector);
  });

  it('ignores records of another dimensionality and junk without magic', () => {
    const other = entry('delta', [1, 2]);
    const data = Buffer.concat([Buffer.from('junk'), encodeRecords([other, a])]);
    const { entries, skippedBytes } = decodeRecords(data, 3);
    expect([...entries.keys()]).toEqual([hex(a)]);
    expect(skippedBytes).toBeGreaterThan(0);
  });

  it('rejects a key of the wrong length', () => {
    expect(() => encodeRecords([{ key: Buffer.alloc(8), vector: new Float32Array(3) }])).toThrow(/32 bytes, got 8/);
  });

  it('appends to a file and loads it; a missing file is an empty cache', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ragbench-cachefile-'));
    const file = join(dir, 'm.embeddings');
    expect((await loadCacheFile(file, 3)).entries.size).toBe(0);
    const appender = new CacheAppender(file);
    await appender.append([a]);
    await appender.append([]);
    await appender.append([b, c]);
    expect(readFileSync(file)).toEqual(encodeRecords([a, b, c]));
    // A crash mid-append: half a record at the end.
    writeFileSync(file, Buffer.concat([readFileSync(file), encodeRecords([entry('x', [1, 1, 1])]).subarray(0, 30)]));
    expect([...(await loadCacheFile(file, 3)).entries.keys()]).toEqual([hex(a), hex(b), hex(c)]);
  });

  it('reports read errors other than a missing file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ragbench-cachefile-'));
    await expect(loadCacheFile(dir, 3)).rejects.toThrow(/EISDIR/);
  });
});
