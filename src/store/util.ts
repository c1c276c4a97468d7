import type { z } from 'zod';
import { describeZodIssues, InputError } from '../util/errors.ts';
import type { VectorHit, VectorIndex, VectorRecord } from './types.ts';

export function assertDimensions(store: Pick<VectorIndex, 'id' | 'dimensions'>, vector: Float32Array): void {
  if (vector.length !== store.dimensions) {
    throw new Error(`${store.id}: vector has ${vector.length} dimensions, the store holds ${store.dimensions}`);
  }
}

/** Checks a store's configured dimensionality (it usually comes from a suite file). */
export function assertValidDimensions(storeId: string, dimensions: number): void {
  if (!Number.isInteger(dimensions) || dimensions <= 0) {
    throw new InputError(`${storeId}: dimensions must be a positive integer, got ${String(dimensions)}`);
  }
}

export function assertValidK(storeId: string, k: number): void {
  if (!Number.isInteger(k) || k < 0) throw new Error(`${storeId}: k must be a non-negative integer, got ${String(k)}`);
}

/** Validates the options a suite gives a store; unknown keys are an error, not silently ignored. */
export function parseStoreOptions<S extends z.ZodType>(storeId: string, schema: S, options: unknown): z.output<S> {
  const parsed = schema.safeParse(options ?? {});
  if (!parsed.success) throw new InputError(describeZodIssues(`${storeId} options`, parsed.error.issues));
  return parsed.data;
}

/**
 * Checks every vector before anything is written (a bad record must not leave a half-applied
 * batch) and keeps the last record of each id, as sequential upserts would.
 */
export function prepareUpsert(
  store: Pick<VectorIndex, 'id' | 'dimensions'>,
  records: readonly VectorRecord[],
): VectorRecord[] {
  const byId = new Map<string, VectorRecord>();
  for (const r of records) {
    assertDimensions(store, r.vector);
    byId.delete(r.id); // re-inserting moves the id to the end: insertion order = last write
    byId.set(r.id, r);
  }
  return [...byId.values()];
}

/** Plain arrays: the only input faiss-node and hnswlib-node accept. */
export function toArray(vectors: readonly Float32Array[]): number[] {
  const out: number[] = [];
  for (const v of vectors) for (const x of v) out.push(x);
  return out;
}

/** The k best hits, best first; ties broken by id so results are deterministic. */
export function topK(hits: VectorHit[], k: number): VectorHit[] {
  hits.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return hits.slice(0, Math.max(0, k));
}

export function closedError(storeId: string): Error {
  return new Error(`${storeId}: store is closed`);
}
