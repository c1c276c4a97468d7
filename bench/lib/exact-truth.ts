/**
 * Ground truth for recall at scale: the exact top k of each query by inner product, from one
 * FAISS IndexFlatIP batch search (BLAS) over the first `count` vectors. The JS exact store gives
 * the same answer (the scale bench measures it too) but at 1M takes ~0.5 s a query.
 */
import type * as FaissNode from 'faiss-node';
import { loadNativeAddon } from '../../src/store/native.ts';

const ADD_BATCH = 4096;

/** Labels (positions) of the exact top k of each query, best first. */
export function exactTopK(flat: Float32Array, dimensions: number, count: number, queries: Float32Array, k: number): number[][] {
  process.env.OMP_NUM_THREADS ??= '1';
  const faiss = loadNativeAddon<typeof FaissNode>('faiss-node');
  const index = new faiss.IndexFlatIP(dimensions);
  for (let i = 0; i < count; i += ADD_BATCH) {
    const end = Math.min(count, i + ADD_BATCH);
    index.add(Array.from(flat.subarray(i * dimensions, end * dimensions)));
  }
  const n = queries.length / dimensions;
  const { labels } = index.search(Array.from(queries), Math.min(k, count));
  const width = Math.min(k, count);
  return Array.from({ length: n }, (_, q) => labels.slice(q * width, (q + 1) * width));
}

/** Share of the exact top k found in the hits (ids "v<label>"), averaged over queries. */
export function recallAtK(found: readonly (readonly string[])[], truth: readonly (readonly number[])[], k: number): number {
  let hit = 0;
  let total = 0;
  found.forEach((ids, q) => {
    const want = new Set((truth[q] ?? []).slice(0, k).map((label) => `v${label}`));
    total += want.size;
    for (const id of ids.slice(0, k)) if (want.has(id)) hit++;
  });
  return total === 0 ? Number.NaN : hit / total;
}
