import type { VectorRecord, VectorStore } from '../store/types.ts';

/** Reads records a batch at a time, in the order of `ids` (ids the store lacks are left out). */
export async function* readInBatches(store: VectorStore, ids: readonly string[], batchSize: number): AsyncGenerator<VectorRecord[]> {
  for (let i = 0; i < ids.length; i += batchSize) yield await store.get(ids.slice(i, i + batchSize));
}

export async function readAll(store: VectorStore, ids: readonly string[], batchSize = 1000): Promise<Map<string, VectorRecord>> {
  const out = new Map<string, VectorRecord>();
  for await (const batch of readInBatches(store, ids, batchSize)) for (const r of batch) out.set(r.id, r);
  return out;
}

/** Chunk text as DenseRetriever stores it (metadata.text); undefined when the record has none. */
export function textOf(record: VectorRecord): string | undefined {
  const text = record.metadata?.text;
  return typeof text === 'string' ? text : undefined;
}

/** Largest |Δ| over the coordinates; Infinity when the sizes differ. */
export function maxAbsDelta(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Number.POSITIVE_INFINITY;
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs((a[i] as number) - (b[i] as number));
    if (d > max || Number.isNaN(d)) max = Number.isNaN(d) ? Number.POSITIVE_INFINITY : d;
  }
  return max;
}
