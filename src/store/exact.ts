import { dot } from '../embed/vector.ts';
import type { VectorHit, VectorRecord, VectorStore } from './types.ts';
import { assertDimensions, topK } from './util.ts';

/** Brute-force inner product over every record: the ground truth for ANN recall. */
export class ExactStore implements VectorStore {
  readonly id = 'exact';
  private readonly records = new Map<string, Float32Array>();

  constructor(readonly dimensions: number) {}

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    for (const r of records) {
      assertDimensions(this, r.vector);
      this.records.set(r.id, r.vector);
    }
  }

  async query(vector: Float32Array, k: number): Promise<VectorHit[]> {
    assertDimensions(this, vector);
    const scored: VectorHit[] = [];
    for (const [id, v] of this.records) scored.push({ id, score: dot(vector, v) });
    return topK(scored, k);
  }

  async delete(ids: readonly string[]): Promise<void> {
    for (const id of ids) this.records.delete(id);
  }

  async count(): Promise<number> {
    return this.records.size;
  }

  async close(): Promise<void> {
    this.records.clear();
  }
}
