import type { VectorHit, VectorStore } from './types.ts';

export function assertDimensions(store: Pick<VectorStore, 'id' | 'dimensions'>, vector: Float32Array): void {
  if (vector.length !== store.dimensions) {
    throw new Error(`${store.id}: vector has ${vector.length} dimensions, the store holds ${store.dimensions}`);
  }
}

/** The k best hits, best first; ties broken by id so results are deterministic. */
export function topK(hits: VectorHit[], k: number): VectorHit[] {
  hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return hits.slice(0, Math.max(0, k));
}
