import { afterEach, describe, expect, it } from 'vitest';
import { dot } from '../../src/embed/vector.ts';
import { ExactStore } from '../../src/store/exact.ts';
import type { VectorHit, VectorIndex, VectorRecord, VectorStore } from '../../src/store/types.ts';
import { randomUnitVectors, type RealEmbeddings } from './data.ts';

export interface StoreUnderTest {
  name: string;
  /** A fresh, empty store. */
  create(dimensions: number): Promise<VectorStore>;
  /**
   * Persistent backends: opens the store `create` last made again (same collection/table), to
   * check that what was written survives close and reopen. Absent for in-process indexes.
   */
  reopen?(dimensions: number): Promise<VectorStore>;
  /**
   * Server backends: builds the store against an address where nothing listens, and the
   * message its error must carry (the backend's name and how to start it).
   */
  unreachable?: { create(dimensions: number): Promise<VectorStore>; message: RegExp };
  /** Minimum recall@10 against exact search on random unit vectors (1 for exact stores). */
  minRecall: number;
}

const SCORE_TOLERANCE = 1e-5;

function ids(hits: readonly VectorHit[]): string[] {
  return hits.map((h) => h.id);
}

function expectBestFirst(hits: readonly VectorHit[]): void {
  for (let i = 1; i < hits.length; i++) {
    expect((hits[i - 1] as VectorHit).score).toBeGreaterThanOrEqual((hits[i] as VectorHit).score - SCORE_TOLERANCE);
  }
}

/** Each hit's score is the cosine of the query with the vector stored under that id. */
function expectCosineScores(hits: readonly VectorHit[], query: Float32Array, stored: ReadonlyMap<string, Float32Array>) {
  for (const hit of hits) {
    const vector = stored.get(hit.id);
    expect(vector, `hit ${hit.id} is not a stored id`).toBeDefined();
    expect(hit.score).toBeCloseTo(dot(query, vector as Float32Array), 5);
  }
}

async function recallAt10(store: VectorIndex, truth: VectorIndex, queries: readonly Float32Array[]): Promise<number> {
  let found = 0;
  let expected = 0;
  for (const q of queries) {
    const want = new Set(ids(await truth.query(q, 10)));
    expected += want.size;
    for (const hit of await store.query(q, 10)) if (want.has(hit.id)) found++;
  }
  return found / expected;
}

/** The behaviour every VectorStore shares, run against real embeddings and random vectors. */
export function describeStoreContract(subject: StoreUnderTest, real: RealEmbeddings): void {
  describe(`${subject.name} store contract`, () => {
    const open: VectorStore[] = [];
    async function fresh(records: readonly VectorRecord[] = real.sentences): Promise<VectorStore> {
      const store = await subject.create(real.dimensions);
      open.push(store);
      await store.upsert(records);
      return store;
    }
    afterEach(async () => {
      for (const s of open.splice(0)) await s.close();
    });
    const stored = new Map(real.sentences.map((r) => [r.id, r.vector]));

    it('counts what was upserted and reports its dimensions', async () => {
      const store = await fresh();
      expect(store.id).toBe(subject.name);
      expect(store.dimensions).toBe(real.dimensions);
      expect(await store.count()).toBe(real.sentences.length);
    });

    it('finds each real sentence first when queried with its own embedding, cosine ~1', async () => {
      const store = await fresh();
      for (const r of real.sentences) {
        const hits = await store.query(r.vector, 3);
        expect(hits[0]?.id).toBe(r.id);
        expect(hits[0]?.score).toBeCloseTo(1, 4);
        expectBestFirst(hits);
      }
    });

    it('ranks real sentences for real questions exactly as brute force does, with cosine scores', async () => {
      const store = await fresh();
      const truth = new ExactStore(real.dimensions);
      await truth.upsert(real.sentences);
      for (const q of real.questions) {
        const hits = await store.query(q, 5);
        expect(hits).toHaveLength(5);
        expectBestFirst(hits);
        expectCosineScores(hits, q, stored);
        expect(ids(hits)).toEqual(ids(await truth.query(q, 5)));
      }
    });

    it('returns every record when k exceeds the count, and nothing for k = 0 or an empty store', async () => {
      const store = await fresh();
      const q = real.questions[0] as Float32Array;
      const all = await store.query(q, 1000);
      expect(new Set(ids(all))).toEqual(new Set(stored.keys()));
      expectBestFirst(all);
      expect(await store.query(q, 0)).toEqual([]);
      expect(await (await fresh([])).query(q, 5)).toEqual([]);
    });

    it('replaces the vector of an id that is upserted again', async () => {
      const store = await fresh();
      const [a, b] = real.sentences as [VectorRecord, VectorRecord];
      await store.upsert([{ id: a.id, vector: b.vector }]);
      expect(await store.count()).toBe(real.sentences.length);
      const hits = await store.query(b.vector, 2);
      expect(new Set(ids(hits))).toEqual(new Set([a.id, b.id]));
      expect(hits[1]?.score).toBeCloseTo(1, 4);
      // The old vector is gone: a's score for its old embedding is now cos(a, b).
      const old = (await store.query(a.vector, 1000)).find((h) => h.id === a.id);
      expect(old?.score).toBeCloseTo(dot(a.vector, b.vector), 5);
    });

    it('keeps the last record when one batch repeats an id', async () => {
      const [a, b, c] = real.sentences as [VectorRecord, VectorRecord, VectorRecord];
      const store = await fresh([
        { id: 'x', vector: a.vector },
        { id: 'y', vector: c.vector },
        { id: 'x', vector: b.vector },
      ]);
      expect(await store.count()).toBe(2);
      const hits = await store.query(b.vector, 1);
      expect(hits[0]).toMatchObject({ id: 'x' });
      expect(hits[0]?.score).toBeCloseTo(1, 4);
    });

    it('deletes ids (unknown ids are ignored), never returns them, and accepts them again', async () => {
      const store = await fresh();
      const gone = real.sentences.slice(0, 10).map((r) => r.id);
      await store.delete([...gone, 'no-such-id']);
      expect(await store.count()).toBe(real.sentences.length - 10);
      const all = await store.query(real.questions[1] as Float32Array, 1000);
      expect(all).toHaveLength(real.sentences.length - 10);
      expect(ids(all).filter((id) => gone.includes(id))).toEqual([]);
      for (const r of real.sentences.slice(0, 10)) {
        expect(ids(await store.query(r.vector, 3))).not.toContain(r.id);
      }

      const back = real.sentences[3] as VectorRecord;
      await store.upsert([back]);
      expect(await store.count()).toBe(real.sentences.length - 9);
      expect((await store.query(back.vector, 1))[0]?.id).toBe(back.id);
    });

    it('rejects a vector of the wrong dimension, naming both sizes, and writes nothing of that batch', async () => {
      const store = await fresh();
      const good: VectorRecord = { id: 'new', vector: real.sentences[0]?.vector as Float32Array };
      const bad: VectorRecord = { id: 'bad', vector: new Float32Array(real.dimensions - 1) };
      await expect(store.upsert([good, bad])).rejects.toThrow(
        `${subject.name}: vector has ${real.dimensions - 1} dimensions, the store holds ${real.dimensions}`,
      );
      expect(await store.count()).toBe(real.sentences.length);
      await expect(store.query(new Float32Array(real.dimensions + 1), 3)).rejects.toThrow(/dimensions/);
    });

    it('rejects a negative or fractional k', async () => {
      const store = await fresh();
      const q = real.questions[0] as Float32Array;
      await expect(store.query(q, -1)).rejects.toThrow(`${subject.name}: k must be a non-negative integer, got -1`);
      await expect(store.query(q, 2.5)).rejects.toThrow(/k must be/);
    });

    it('refuses every operation once closed', async () => {
      const store = await fresh();
      await store.close();
      const closed = `${subject.name}: store is closed`;
      await expect(store.count()).rejects.toThrow(closed);
      await expect(store.query(real.questions[0] as Float32Array, 1)).rejects.toThrow(closed);
      await expect(store.upsert(real.sentences)).rejects.toThrow(closed);
      await expect(store.delete(['x'])).rejects.toThrow(closed);
      await expect(store.get(['x'])).rejects.toThrow(closed);
      await expect(store.listIds()).rejects.toThrow(closed);
      await expect(store.deleteByDocument('x')).rejects.toThrow(closed);
    });

    it('keeps each record\'s metadata and vector: get returns them in the order asked, unknown ids left out', async () => {
      const [a, b] = real.sentences as [VectorRecord, VectorRecord];
      const store = await fresh([
        { ...a, metadata: { documentId: 'Normans', page: 3, title: 'The "Normans" — <b>', draft: false, note: null } },
        { ...b, metadata: { documentId: 'Oxygen', page: 1 } },
      ]);
      const got = await store.get([b.id, 'no-such-id', a.id]);
      expect(got.map((r) => r.id)).toEqual([b.id, a.id]);
      expect(got[1]?.metadata).toEqual({ documentId: 'Normans', page: 3, title: 'The "Normans" — <b>', draft: false, note: null });
      expect(got[0]?.metadata).toEqual({ documentId: 'Oxygen', page: 1 });
      for (const [i, r] of [b, a].entries()) {
        expect(got[i]?.vector).toHaveLength(real.dimensions);
        expect(dot(got[i]?.vector as Float32Array, r.vector)).toBeCloseTo(1, 4);
      }
      expect((await store.listIds()).sort()).toEqual([a.id, b.id].sort());
    });

    it('an identical re-upsert changes nothing (idempotent): same count, ids, metadata and ranking', async () => {
      const records = real.sentences.map((r, i) => ({ ...r, metadata: { documentId: `doc${i % 3}` } }));
      const store = await fresh(records);
      const q = real.questions[2] as Float32Array;
      const before = await store.query(q, 10);
      await store.upsert(records);
      await store.upsert(records.slice(0, 5));
      expect(await store.count()).toBe(records.length);
      expect((await store.listIds()).sort()).toEqual(records.map((r) => r.id).sort());
      const after = await store.query(q, 10);
      expect(ids(after)).toEqual(ids(before));
      expect((await store.get([records[4]?.id as string]))[0]?.metadata).toEqual({ documentId: 'doc1' });
    });

    it('deletes by document: only that document\'s records, returning how many', async () => {
      const records = real.sentences.map((r, i) => ({ ...r, metadata: { documentId: i < 7 ? 'gone' : 'kept' } }));
      const store = await fresh(records);
      expect(await store.deleteByDocument('gone')).toBe(7);
      expect(await store.deleteByDocument('no-such-document')).toBe(0);
      expect(await store.count()).toBe(records.length - 7);
      const left = await store.listIds();
      expect(left.sort()).toEqual(records.slice(7).map((r) => r.id).sort());
      const all = await store.query(real.questions[0] as Float32Array, 1000);
      expect(ids(all).filter((id) => records.slice(0, 7).some((r) => r.id === id))).toEqual([]);
    });

    if (subject.reopen) {
      const reopen = subject.reopen;
      it('persists across close and reopen', async () => {
        const records = real.sentences.map((r) => ({ ...r, metadata: { documentId: 'persisted' } }));
        const store = await subject.create(real.dimensions);
        await store.upsert(records);
        const q = real.questions[0] as Float32Array;
        const before = ids(await store.query(q, 5));
        await store.close();
        const again = await reopen(real.dimensions);
        open.push(again);
        expect(await again.count()).toBe(records.length);
        expect(ids(await again.query(q, 5))).toEqual(before);
        expect((await again.get([records[0]?.id as string]))[0]?.metadata).toEqual({ documentId: 'persisted' });
      });
    }

    if (subject.unreachable) {
      const down = subject.unreachable;
      it('a server that is down fails within 10 s with an error naming the backend and how to start it', async () => {
        const started = performance.now();
        const attempt = async (): Promise<void> => {
          const store = await down.create(real.dimensions);
          open.push(store);
          await store.upsert(real.sentences.slice(0, 1));
        };
        await expect(attempt()).rejects.toThrow(down.message);
        expect(performance.now() - started).toBeLessThan(10_000);
      });
    }

    it(`agrees with exact search on 3,000 random unit vectors (recall@10 >= ${subject.minRecall}), also after churn`, async () => {
      const dimensions = 64;
      const vectors = randomUnitVectors(3000, dimensions, 42);
      const records = vectors.map((vector, i) => ({ id: `v${i}`, vector }));
      const queries = randomUnitVectors(100, dimensions, 7);
      const store = await subject.create(dimensions);
      open.push(store);
      const truth = new ExactStore(dimensions);
      for (const s of [store, truth]) await s.upsert(records);
      expect(await recallAt10(store, truth, queries)).toBeGreaterThanOrEqual(subject.minRecall);

      // Delete 300, move 300 others to new places: the index must follow.
      const deleted = records.slice(0, 300).map((r) => r.id);
      const moved = randomUnitVectors(300, dimensions, 99).map((vector, i) => ({ id: `v${300 + i}`, vector }));
      for (const s of [store, truth]) {
        await s.delete(deleted);
        await s.upsert(moved);
      }
      expect(await store.count()).toBe(2700);
      expect(await recallAt10(store, truth, [...queries, ...moved.slice(0, 50).map((m) => m.vector)])).toBeGreaterThanOrEqual(
        subject.minRecall,
      );
      const hits = await store.query(queries[0] as Float32Array, 50);
      expect(hits).toHaveLength(50);
      expect(ids(hits).filter((id) => deleted.includes(id))).toEqual([]);
    });
  });
}
