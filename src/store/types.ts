import type { z } from 'zod';

export interface VectorRecord {
  id: string;
  vector: Float32Array;
}

export interface VectorHit {
  id: string;
  /** Similarity: higher is closer (inner product of normalised vectors = cosine). */
  score: number;
}

/** A vector index. Every implementation passes test/store/contract.ts. */
export interface VectorStore {
  /** Registry name, e.g. "faiss-flat". */
  readonly id: string;
  readonly dimensions: number;
  /** Inserts or replaces records by id. */
  upsert(records: readonly VectorRecord[]): Promise<void>;
  /** The k nearest records, best first. */
  query(vector: Float32Array, k: number): Promise<VectorHit[]>;
  delete(ids: readonly string[]): Promise<void>;
  count(): Promise<number>;
  close(): Promise<void>;
}

/** How the registry builds a store by name: one of these per backend file. */
export interface StoreDefinition {
  readonly name: string;
  /** The options a suite may set (strict: unknown keys are errors), checked when a suite loads. */
  readonly options: z.ZodType;
  /** `options` come from a suite file; implementations validate them and reject unknown keys. */
  create(dimensions: number, options?: Record<string, unknown>): Promise<VectorStore>;
}
