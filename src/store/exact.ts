import { z } from 'zod';
import { dot } from '../embed/vector.ts';
import type { StoreDefinition, VectorHit, VectorIndex, VectorRecord } from './types.ts';
import {
  assertDimensions,
  assertValidDimensions,
  assertValidK,
  closedError,
  parseStoreOptions,
  prepareUpsert,
  topK,
} from './util.ts';
import { RecordBook } from './record-book.ts';

/** Brute-force inner product over every record: the ground truth for ANN recall. */
export class ExactStore implements VectorIndex {
  readonly id = 'exact';
  private records: Map<string, Float32Array> | undefined = new Map();

  constructor(readonly dimensions: number) {
    assertValidDimensions(this.id, dimensions);
  }

  private open(): Map<string, Float32Array> {
    if (!this.records) throw closedError(this.id);
    return this.records;
  }

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    const stored = this.open();
    for (const r of prepareUpsert(this, records)) stored.set(r.id, r.vector);
  }

  async query(vector: Float32Array, k: number): Promise<VectorHit[]> {
    const stored = this.open();
    assertDimensions(this, vector);
    assertValidK(this.id, k);
    const scored: VectorHit[] = [];
    for (const [id, v] of stored) scored.push({ id, score: dot(vector, v) });
    return topK(scored, k);
  }

  async delete(ids: readonly string[]): Promise<void> {
    const stored = this.open();
    for (const id of ids) stored.delete(id);
  }

  async count(): Promise<number> {
    return this.open().size;
  }

  async close(): Promise<void> {
    this.records = undefined;
  }
}

export const exact: StoreDefinition = {
  name: 'exact',
  options: z.strictObject({}),
  async create(dimensions, options) {
    parseStoreOptions('exact', this.options, options);
    return new RecordBook(new ExactStore(dimensions));
  },
};
