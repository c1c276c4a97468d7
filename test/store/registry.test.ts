import { describe, expect, it } from 'vitest';
import { createStore, storeNames } from '../../src/store/registry.ts';
import { InputError } from '../../src/util/errors.ts';

const presetOmpThreads = process.env.OMP_NUM_THREADS;

describe('store registry', () => {
  it('lists the built-in stores', () => {
    expect(storeNames()).toEqual(['exact', 'faiss-flat', 'faiss-hnsw', 'hnswlib', 'chroma', 'pgvector', 'pinecone', 'consensus', 'faulty']);
  });

  // In-process stores need no options; the router and the fault wrapper need a backend. Server
  // backends are built against their real servers in their own tests.
  const BUILDABLE: [string, Record<string, unknown>][] = [
    ['exact', {}],
    ['faiss-flat', {}],
    ['faiss-hnsw', {}],
    ['hnswlib', {}],
    ['consensus', { backends: [{ store: 'exact' }] }],
    ['faulty', { store: 'exact' }],
  ];

  it('builds each store by name with the requested dimensions', async () => {
    for (const [name, options] of BUILDABLE) {
      const store = await createStore(name, 8, options);
      // The fault wrapper names what it wraps: faulty(exact).
      expect(store.id).toBe(name === 'faulty' ? 'faulty(exact)' : name);
      expect(store.dimensions).toBe(8);
      await store.close();
    }
  });

  it('loads FAISS single-threaded unless OMP_NUM_THREADS is set (one query at a time: threads only wait)', async () => {
    await (await createStore('faiss-flat', 4)).close();
    expect(process.env.OMP_NUM_THREADS).toBe(presetOmpThreads ?? '1');
  });

  it('rejects an unknown name, listing the known ones', async () => {
    const error = createStore('milvus', 8);
    await expect(error).rejects.toThrow(InputError);
    await expect(error).rejects.toThrow(
      'unknown vector store "milvus"; known stores: exact, faiss-flat, faiss-hnsw, hnswlib, chroma, pgvector, pinecone, consensus, faulty',
    );
  });

  it.each(storeNames())('%s rejects dimensions that are not a positive integer', async (name) => {
    for (const bad of [0, -3, 1.5, Number.NaN]) {
      await expect(createStore(name, bad)).rejects.toThrow(
        new InputError(`${name}: dimensions must be a positive integer, got ${String(bad)}`),
      );
    }
  });

  it.each(storeNames())('%s rejects unknown options, naming the store and the key', async (name) => {
    await expect(createStore(name, 8, { efSerch: 10 })).rejects.toThrow(InputError);
    await expect(createStore(name, 8, { efSerch: 10 })).rejects.toThrow(`${name} options: (root):`);
    await expect(createStore(name, 8, { efSerch: 10 })).rejects.toThrow(/efSerch/);
  });

  it.each(['faiss-hnsw', 'hnswlib'])('%s rejects an efSearch that is not a positive integer', async (name) => {
    await expect(createStore(name, 8, { efSearch: 0 })).rejects.toThrow(`${name} options: efSearch:`);
    await expect(createStore(name, 8, { efSearch: '64' })).rejects.toThrow(`${name} options: efSearch:`);
  });
});
