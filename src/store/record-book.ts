import { isSnapshotIndex, readStoreSnapshot, writeStoreSnapshot } from './persist.ts';
import type { VectorHit, VectorIndex, VectorRecord, VectorStore } from './types.ts';
import { closedError, prepareUpsert } from './util.ts';

export interface RecordBookOptions {
  /**
   * Folder the store is saved in (src/store/persist.ts): loaded when the store is created,
   * saved durably by flush() and close(). Absent: the store lives in memory only.
   */
  dir?: string;
}

/**
 * Gives an in-process index (FAISS, hnswlib, exact) the record keeping of a store: each id's
 * vector and metadata in memory beside the native index, for get / listIds / deleteByDocument.
 * Database backends keep this themselves.
 */
export class RecordBook implements VectorStore {
  readonly id: string;
  readonly dimensions: number;
  private records: Map<string, VectorRecord> | undefined = new Map();
  /** Changed since the last save. */
  private dirty = false;

  constructor(
    private readonly index: VectorIndex,
    private readonly options: RecordBookOptions = {},
  ) {
    this.id = index.id;
    this.dimensions = index.dimensions;
  }

  /** A store over `index`, holding what was saved in `options.dir` when there is something. */
  static async open(index: VectorIndex, options: RecordBookOptions = {}): Promise<RecordBook> {
    const book = new RecordBook(index, options);
    if (options.dir === undefined) return book;
    const saved = readStoreSnapshot(options.dir, { store: index.id, dimensions: index.dimensions });
    if (!saved) return book;
    if (saved.native && isSnapshotIndex(index)) index.restore(saved.native);
    else await index.upsert(saved.records);
    for (const r of saved.records) book.open().set(r.id, r);
    return book;
  }

  /** Saves the store to its folder (no-op in memory, or when nothing changed since the last save). */
  async flush(): Promise<void> {
    const book = this.open();
    if (this.options.dir === undefined || !this.dirty) return;
    const native = isSnapshotIndex(this.index) ? this.index.snapshot() : undefined;
    writeStoreSnapshot(this.options.dir, {
      manifest: { version: 1, store: this.id, dimensions: this.dimensions, count: book.size, native: native !== undefined },
      records: [...book.values()],
      ...(native && { native }),
    });
    this.dirty = false;
  }

  private open(): Map<string, VectorRecord> {
    if (!this.records) throw closedError(this.id);
    return this.records;
  }

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    const book = this.open();
    const fresh = prepareUpsert(this, records);
    await this.index.upsert(fresh);
    this.dirty = true;
    for (const r of fresh) book.set(r.id, { id: r.id, vector: r.vector, ...(r.metadata && { metadata: { ...r.metadata } }) });
  }

  async query(vector: Float32Array, k: number): Promise<VectorHit[]> {
    this.open();
    return this.index.query(vector, k);
  }

  async delete(ids: readonly string[]): Promise<void> {
    const book = this.open();
    await this.index.delete(ids);
    this.dirty = true;
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
    if (this.records) await this.flush();
    this.records = undefined;
    await this.index.close();
  }
}
