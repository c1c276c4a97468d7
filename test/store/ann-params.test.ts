import { createRequire } from 'node:module';
import type * as FaissNode from 'faiss-node';
import { describe, expect, it } from 'vitest';
import { hnswParamsOffset, readHnswParams, withHnswParams } from '../../src/store/faiss-hnsw-params.ts';
import { FaissHnswStore } from '../../src/store/faiss.ts';
import { HnswlibStore } from '../../src/store/hnswlib.ts';
import { ExactStore } from '../../src/store/exact.ts';
import type { VectorIndex as VectorStore } from '../../src/store/types.ts';
import { randomUnitVectors } from './data.ts';

const faiss = createRequire(import.meta.url)('faiss-node') as typeof FaissNode;

describe('FAISS HNSW parameters (patched in the serialised index)', () => {
  it('reads FAISS defaults and writes new values that survive a round trip', () => {
    const index = faiss.Index.fromFactory(16, 'HNSW32,Flat', faiss.MetricType.METRIC_INNER_PRODUCT);
    expect(readHnswParams(index)).toEqual({ efConstruction: 40, efSearch: 16 });
    const tuned = withHnswParams(faiss, index, { efConstruction: 80, efSearch: 123 });
    expect(readHnswParams(tuned)).toEqual({ efConstruction: 80, efSearch: 123 });
    expect(tuned.getDimension()).toBe(16);
  });

  it('finds the fields after the metric argument that non-L2/IP metrics add', () => {
    const l1 = faiss.Index.fromFactory(4, 'HNSW8,Flat', faiss.MetricType.METRIC_L1);
    expect(readHnswParams(withHnswParams(faiss, l1, { efConstruction: 41, efSearch: 17 }))).toEqual({
      efConstruction: 41,
      efSearch: 17,
    });
  });

  it('refuses a buffer that is not an IndexHNSWFlat', () => {
    const flat = new faiss.IndexFlatIP(4);
    expect(() => hnswParamsOffset(flat.toBuffer())).toThrow('faiss-hnsw: expected an IndexHNSWFlat ("IHNf") buffer, got "IxFI"');
  });
});

const vectors = randomUnitVectors(2000, 48, 1);
const queries = randomUnitVectors(50, 48, 2);
const records = vectors.map((vector, i) => ({ id: String(i), vector }));
const truth = new ExactStore(48);
await truth.upsert(records);

async function recall(store: VectorStore): Promise<number> {
  let found = 0;
  for (const q of queries) {
    const want = new Set((await truth.query(q, 10)).map((h) => h.id));
    for (const h of await store.query(q, 10)) if (want.has(h.id)) found++;
  }
  return found / (queries.length * 10);
}

describe('efSearch takes effect, also when changed on a built index', () => {
  it.each([
    ['faiss-hnsw', () => new FaissHnswStore(48, { m: 8, efSearch: 10 })],
    ['hnswlib', () => new HnswlibStore(48, { m: 8, efSearch: 10 })],
  ])('%s: a larger efSearch finds more true neighbours', async (_name, create) => {
    const store = create();
    await store.upsert(records);
    expect(store.efSearch).toBe(10);
    const low = await recall(store);
    store.setEfSearch(200);
    expect(store.efSearch).toBe(200);
    const high = await recall(store);
    expect(high).toBeGreaterThan(low + 0.1);
    expect(high).toBeGreaterThan(0.95);
    expect(await store.count()).toBe(2000);
    expect(() => store.setEfSearch(0)).toThrow(/efSearch/);
    await store.close();
  });

  it('hnswlib grows past its initial capacity', async () => {
    const store = new HnswlibStore(48, { initialCapacity: 16 });
    await store.upsert(records.slice(0, 100));
    expect(await store.count()).toBe(100);
    expect((await store.query(records[77]?.vector as Float32Array, 1))[0]?.id).toBe('77');
  });
});
