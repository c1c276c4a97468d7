import type { z } from 'zod';

export type MetadataValue = string | number | boolean | null;

/** What a stored chunk carries besides its vector: its document (for delete-by-document) and more. */
export interface ChunkMetadata {
  documentId: string;
  [key: string]: MetadataValue;
}

export interface VectorRecord {
  id: string;
  vector: Float32Array;
  metadata?: ChunkMetadata;
}

export interface VectorHit {
  id: string;
  /** Similarity: higher is closer (inner product of normalised vectors = cosine). */
  score: number;
}

/** The search core of a store: what an in-process ANN library provides. */
export interface VectorIndex {
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

/** A vector store: search plus the record keeping that reconciliation and migration need. Every implementation passes test/store/contract.ts. */
export interface VectorStore extends VectorIndex {
  /** Stored records (vector and metadata) of these ids, in the order asked; unknown ids are left out. */
  get(ids: readonly string[]): Promise<VectorRecord[]>;
  /** Every stored id. */
  listIds(): Promise<string[]>;
  /** Deletes every record whose metadata names this document; returns how many were deleted. */
  deleteByDocument(documentId: string): Promise<number>;
}

/** How the registry builds a store by name: one of these per backend file. */
export interface StoreDefinition {
  readonly name: string;
  /** The options a suite may set (strict: unknown keys are errors), checked when a suite loads. */
  readonly options: z.ZodType;
  /** `options` come from a suite file; implementations validate them and reject unknown keys. */
  create(dimensions: number, options?: Record<string, unknown>): Promise<VectorStore>;
}
