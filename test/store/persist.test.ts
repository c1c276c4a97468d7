import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readStoreSnapshot, savedStoreDimensions } from '../../src/store/persist.ts';
import { createStore } from '../../src/store/registry.ts';
import type { VectorRecord } from '../../src/store/types.ts';
import { InputError } from '../../src/util/errors.ts';
import { embedFixture, randomUnitVectors } from './data.ts';

const real = await embedFixture();
const root = mkdtempSync(join(tmpdir(), 'ragbench-persist-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;
const freshDir = (): string => join(root, String(++dirs));
const records: VectorRecord[] = real.sentences.map((r, i) => ({ ...r, metadata: { documentId: `doc${i % 3}`, page: i, text: `sentence ${i} "quoted"` } }));

describe('stores saved to a folder (option dir)', () => {
  // Snapshots are written 10,000 records a piece: a store of several pieces and a part-piece reads back whole and in order.
  it('saves and reopens a store larger than one write piece (25,001 records), every vector and id intact', async () => {
    const dir = freshDir();
    const many: VectorRecord[] = randomUnitVectors(25_001, 16, 5).map((vector, i) => ({ id: `r${i}`, vector, metadata: { documentId: `d${i % 7}` } }));
    const store = await createStore('faiss-flat', 16, { dir });
    await store.upsert(many);
    await store.close(); // close() saves
    const saved = readStoreSnapshot(dir, { store: 'faiss-flat', dimensions: 16 });
    expect(saved?.records.map((r) => r.id)).toEqual(many.map((r) => r.id));
    for (const at of [0, 9_999, 10_000, 20_000, 25_000]) expect(saved?.records[at]).toEqual(many[at]);
  });

  it('saves on flush(), not before: a store reopened before the flush finds nothing, after it finds everything', async () => {
    const dir = freshDir();
    const store = await createStore('faiss-flat', real.dimensions, { dir });
    await store.upsert(records);
    expect(savedStoreDimensions(dir)).toBeUndefined();
    await (store as unknown as { flush(): Promise<void> }).flush();
    expect(savedStoreDimensions(dir)).toBe(real.dimensions);
    const again = await createStore('faiss-flat', real.dimensions, { dir });
    expect(await again.count()).toBe(records.length);
    expect((await again.get([records[5]?.id as string]))[0]).toEqual(records[5]);
    await again.close();
    await store.close();
  });

  it('faiss-hnsw keeps its graph, tombstones and replaced vectors across a reopen, with the efSearch it is opened with', async () => {
    const dir = freshDir();
    const store = await createStore('faiss-hnsw', real.dimensions, { dir, efSearch: 32 });
    await store.upsert(records);
    await store.delete(records.slice(0, 4).map((r) => r.id));
    const moved = { ...(records[10] as VectorRecord), vector: (records[20] as VectorRecord).vector };
    await store.upsert([moved]);
    const q = real.questions[0] as Float32Array;
    const before = await store.query(q, 10);
    await store.close();
    const again = await createStore('faiss-hnsw', real.dimensions, { dir, efSearch: 64 });
    expect(await again.count()).toBe(records.length - 4);
    expect((await again.query(q, 10)).map((h) => h.id)).toEqual(before.map((h) => h.id));
    expect((await again.query(moved.vector, 2)).map((h) => h.id).sort()).toEqual([moved.id, records[20]?.id].sort());
    expect((await again.query(q, 1000)).some((h) => records.slice(0, 4).some((r) => r.id === h.id))).toBe(false);
    await again.close();
  });

  it('a save killed half-way leaves the previous generation in force', async () => {
    const dir = freshDir();
    const store = await createStore('faiss-flat', real.dimensions, { dir });
    await store.upsert(records.slice(0, 10));
    await store.close();
    const current = readFileSync(join(dir, 'CURRENT'), 'utf8').trim();
    // What a process killed inside the next save leaves: a half-written generation and a temp file of CURRENT.
    mkdirSync(join(dir, 'gen-000002'));
    writeFileSync(join(dir, 'gen-000002', 'records.jsonl'), '{"id":"torn');
    writeFileSync(join(dir, `CURRENT.tmp-12345`), 'gen-000002');
    const again = await createStore('faiss-flat', real.dimensions, { dir });
    expect(await again.count()).toBe(10);
    await again.upsert(records.slice(10, 12));
    await again.close();
    expect(readFileSync(join(dir, 'CURRENT'), 'utf8').trim()).toBe('gen-000002');
    expect(readdirSync(dir).filter((f) => f.startsWith('gen-'))).toEqual(['gen-000002']);
    expect(current).toBe('gen-000001');
    expect(readStoreSnapshot(dir, { store: 'faiss-flat', dimensions: real.dimensions })?.records).toHaveLength(12);
  });

  it('refuses a folder saved by another store or another embedding size, naming the folder and the fix', async () => {
    const dir = freshDir();
    const store = await createStore('faiss-flat', real.dimensions, { dir });
    await store.upsert(records.slice(0, 3));
    await store.close();
    await expect(createStore('faiss-hnsw', real.dimensions, { dir })).rejects.toThrow(
      new RegExp(`store folder ${dir} holds a faiss-flat index of ${real.dimensions}-d vectors, this store is faiss-hnsw .*use another dir`),
    );
    await expect(createStore('faiss-flat', 8, { dir })).rejects.toBeInstanceOf(InputError);
    writeFileSync(join(dir, 'CURRENT'), 'nonsense');
    await expect(createStore('faiss-flat', real.dimensions, { dir })).rejects.toThrow(/CURRENT names "nonsense".*remove it and ingest again/);
  });

  it('an unchanged store does not rewrite its folder on close', async () => {
    const dir = freshDir();
    const store = await createStore('faiss-flat', real.dimensions, { dir });
    await store.upsert(records.slice(0, 3));
    await store.close();
    const reopened = await createStore('faiss-flat', real.dimensions, { dir });
    await reopened.close();
    expect(readFileSync(join(dir, 'CURRENT'), 'utf8').trim()).toBe('gen-000001');
    expect(existsSync(join(dir, 'gen-000001', 'index.faiss'))).toBe(true);
  });
});
