import type { VectorHit, VectorIndex, VectorRecord, VectorStore } from './types.ts';
import { closedError, prepareUpsert } from './util.ts';

/**
 * Gives an in-process index (FAISS, hnswlib, exact) the record keeping of a store: each id's
 * vector and metadata in memory beside the native index, for get / listIds / deleteByDocument.
 * Database backends keep this themselves.
 */
export class RecordBook implements VectorStore {
  readonly id: string;
  readonly dimensions: number;
  private records: Map<string, VectorRecord> | undefined = new Map();

  constructor(private readonly index: VectorIndex) {
    this.id = index.id;
    this.dimensions = index.dimensions;
  }

  private open(): Map<string, VectorRecord> {
    if (!this.records) throw closedError(this.id);
    return this.records;
  }

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    const book = this.open();
    const fresh = prepareUpsert(this, records);
    await this.index.upsert(fresh);
    for (const r of fresh) book.set(r.id, { id: r.id, vector: r.vector, ...(r.metadata && { metadata: { ...r.metadata } }) });
  }

  async query(vector: Float32Array, k: number): Promise<VectorHit[]> {
    this.open();
    return this.index.query(vector, k);
  }

  async delete(ids: readonly string[]): Promise<void> {
    const book = this.open();
    await this.index.delete(ids);
    for (const id of ids) book.delete(id);
  }

  async count(): Promise<number> {
    this.open();
    return this.index.count();
  }

  async get(ids: readonly string[]): Promise<VectorRecord[]> {
    const book = this.open();
    return ids.map((id) => book.get(id)).filter((r): r is VectorRecord => r !== undefined);
  }

  async listIds(): Promise<string[]> {
    return [...this.open().keys()];
  }

  async deleteByDocument(documentId: string): Promise<number> {
    const book = this.open();
    const ids = [...book.values()].filter((r) => r.metadata?.documentId === documentId).map((r) => r.id);
    await this.delete(ids);
    return ids.length;
  }

  async close(): Promise<void> {
    this.records = undefined;
    await this.index.close();
  }
}
