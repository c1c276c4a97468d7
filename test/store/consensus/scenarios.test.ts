import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { NoQuorumError, type ConsensusStore } from '../../../src/store/consensus/router.ts';
import { queriesToFlag } from '../../../src/store/consensus/weights.ts';
import { consensusOptionsSchema } from '../../../src/store/consensus/options.ts';
import type { VectorRecord } from '../../../src/store/types.ts';
import { consensusOver, dataset, faultyIn, ids, ingest, K, truthFor } from './fixtures.ts';

// Every scenario runs over real in-process backends (exact, FAISS flat, hnswlib) built through the registry.
const { records, queries } = dataset();
let truth: string[][];
beforeAll(async () => {
  truth = await truthFor(records, queries);
});

const open: ConsensusStore[] = [];
async function build(backends: unknown[], extra: Record<string, unknown> = {}): Promise<ConsensusStore> {
  const store = await consensusOver(backends, extra);
  open.push(store);
  return store;
}
afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
});

const FLAG_AFTER = queriesToFlag(consensusOptionsSchema.parse({ backends: [{ store: 'exact' }] }).weights);

describe('consensus: all backends healthy', () => {
  it('agreement 1, quorum on every query, and exactly the top-k a single exact store gives', async () => {
    const store = await build([{ store: 'exact' }, { store: 'faiss-flat' }, { store: 'hnswlib' }]);
    await ingest(store, records);
    for (const [i, q] of queries.entries()) {
      const { hits, report } = await store.queryWithReport(q, K);
      expect(ids(hits)).toEqual(truth[i]);
      expect(report.quorumMet).toBe(true);
      expect(report.dissented).toEqual([]);
    }
    const figures = store.consensusReport();
    expect(figures.queries).toBe(queries.length);
    expect(figures.meanAgreement).toBeGreaterThanOrEqual(0.999);
    expect(figures.answeredFraction).toBe(1);
    expect(figures.perBackend.map((b) => [b.name, b.suspect, b.weight])).toEqual([
      ['exact', false, 1],
      ['faiss-flat', false, 1],
      ['hnswlib', false, 1],
    ]);
    expect(figures.writes).toMatchObject({ retries: 0, walAppends: 0, walPending: 0 });
    const rec = await store.reconcile();
    expect(rec).toMatchObject({ expected: records.length, chunksLost: 0, consistent: true, failure: null });
    expect(JSON.parse(JSON.stringify(store.consensusReport()))).toEqual(store.consensusReport());
  });

  it('merged scores are the backends\' cosine scores (weighted median)', async () => {
    const store = await build([{ store: 'exact' }, { store: 'faiss-flat' }, { store: 'faiss-flat' }]);
    await ingest(store, records);
    const exact = store.backendStore('exact');
    for (const q of queries.slice(0, 20)) {
      const merged = await store.query(q, K);
      const single = await exact.query(q, K);
      merged.forEach((h, i) => expect(h.score).toBeCloseTo(single[i]?.score as number, 5));
    }
  });
});

describe('consensus: one crashed backend of three', () => {
  it('answers every query like the fault-free run, queues writes in the log, and catches up with nothing lost', async () => {
    const store = await build([
      { store: 'exact' },
      // Crashes after its 3rd call (the router's listIds at open, then 2 batches): mid-ingest.
      { store: { name: 'faulty', store: 'faiss-flat', crash: { afterCalls: 3 } } },
      { store: 'hnswlib' },
    ]);
    await ingest(store, records);
    let identical = 0;
    for (const [i, q] of queries.entries()) {
      const { hits, report } = await store.queryWithReport(q, K);
      if (JSON.stringify(ids(hits)) === JSON.stringify(truth[i])) identical++;
      expect(report.quorumMet).toBe(true); // 2 of 3 equal weights = 2/3: the quorum
      expect(report.behind).toEqual(['faulty-faiss-flat']);
    }
    expect(identical / queries.length).toBeGreaterThanOrEqual(0.99);
    const during = store.consensusReport();
    expect(during.answeredFraction).toBe(1);
    expect(during.meanAgreement).toBeGreaterThanOrEqual(0.9);
    expect(during.writes.walAppends).toBe(13);
    expect(during.writes.walPending).toBe(13);

    const down = await store.reconcile();
    const row = down.backends.find((b) => b.backend === 'faulty-faiss-flat');
    expect(row).toMatchObject({ reachable: false, walPending: 13 });
    expect(down.chunksLost).toBe(0); // the log still holds what the crashed backend lacks
    expect(down.consistent).toBe(false);

    await faultyIn(store, 'faulty-faiss-flat').heal();
    expect(await store.catchUp()).toContainEqual({ backend: 'faulty-faiss-flat', replayed: 13, pending: 0 });
    const after = await store.reconcile();
    expect(after.backends.map((b) => [b.backend, b.count, b.missingCount, b.extraCount])).toEqual([
      ['exact', 1500, 0, 0],
      ['faulty-faiss-flat', 1500, 0, 0],
      ['hnswlib', 1500, 0, 0],
    ]);
    expect(after).toMatchObject({ chunksLost: 0, consistent: true });
    expect(store.consensusReport()).toMatchObject({ chunksLost: 0, writes: { walReplayed: 13, walPending: 0 } });
    // Back in the vote, agreeing.
    const { report } = await store.queryWithReport(queries[0] as Float32Array, K);
    expect(report.agreed).toContain('faulty-faiss-flat');
  });

  it('two approximate backends that miss tail neighbours still make the quorum beside a crashed third', async () => {
    const store = await build([
      { store: { name: 'faulty', store: 'exact', crash: {} } },
      { store: { name: 'hnswlib', efSearch: 16, m: 8 } },
      { store: { name: 'faiss-hnsw', efSearch: 16, m: 8 } },
    ]);
    await ingest(store, records);
    let imperfect = 0;
    for (const q of queries) {
      const { report } = await store.queryWithReport(q, K);
      if (report.perBackend.some((b) => b.overlap < 1)) imperfect++;
    }
    const figures = store.consensusReport();
    expect(imperfect).toBeGreaterThan(0); // the two do differ now and then ...
    expect(figures.answeredFraction).toBeGreaterThanOrEqual(0.99); // ... and still certify
    expect(figures.perBackend.slice(1).map((b) => b.weight)).toEqual([1, 1]);
  });

  it('a backend that restarts by itself is caught up by later queries, in the background', async () => {
    const store = await build([
      { store: 'exact' },
      { store: { name: 'faulty', store: 'faiss-flat', crash: { afterCalls: 1, restartAfterMs: 1500 } } },
      { store: 'faiss-flat' },
    ]);
    await ingest(store, records);
    expect(store.consensusReport().writes.walPending).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 1500));
    const deadline = performance.now() + 5000;
    while (store.consensusReport().perBackend[1]?.behind && performance.now() < deadline) {
      await store.query(queries[0] as Float32Array, K);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(store.consensusReport().perBackend[1]).toMatchObject({ behind: false });
    expect((await store.reconcile()).consistent).toBe(true);
  });

  it('delete and deleteByDocument reach a crashed backend through its log, in order', async () => {
    const store = await build([{ store: 'exact' }, { store: { name: 'faulty', store: 'exact', crash: { afterCalls: 1 } } }, { store: 'faiss-flat' }]);
    await ingest(store, records, 500);
    expect(await store.deleteByDocument('doc3')).toBe(100);
    await store.delete(['c0', 'c1']);
    await store.upsert([records[0] as VectorRecord]);
    expect(await store.count()).toBe(1500 - 100 - 1);
    // get reads from a healthy backend while one is down.
    expect((await store.get(['c0', 'c3', 'c1'])).map((r) => r.id)).toEqual(['c0']);
    await faultyIn(store, 'faulty-exact').heal();
    await store.catchUp();
    const rec = await store.reconcile();
    expect(rec.consistent).toBe(true);
    expect(rec.backends.every((b) => b.count === 1399)).toBe(true);
  });

  it('refuses a write no backend took when minAcks is not met, keeping it in every log', async () => {
    const store = await build(
      [
        { store: { name: 'faulty', store: 'exact', crash: {} } },
        { store: { name: 'faulty', store: 'exact', crash: {} } },
      ],
      { write: { attempts: 3, backoffMs: 1, timeoutMs: 500, minAcks: 1 } },
    );
    await expect(store.upsert(records.slice(0, 5))).rejects.toThrow(
      /consensus: upsert reached 0 of 2 backends, need 1; kept in the write-ahead logs of faulty-exact \(faulty\(exact\): connect ECONNREFUSED/,
    );
    expect(store.consensusReport().writes).toMatchObject({ retries: 4, walAppends: 2, walPending: 2 });
    await expect(store.query(queries[0] as Float32Array, K)).rejects.toThrow(/consensus: no backend answered: faulty-exact \(behind/);
  });
});

describe('consensus: one slow backend of three', () => {
  it('answers within the timeout without the slow backend', async () => {
    const timeoutMs = 150;
    const store = await build(
      [{ store: 'exact' }, { store: { name: 'faulty', store: 'faiss-flat', slow: { latencyMs: 600, operations: ['query'] } } }, { store: 'hnswlib' }],
      { query: { timeoutMs } },
    );
    await ingest(store, records);
    const latencies: number[] = [];
    for (const [i, q] of queries.slice(0, 20).entries()) {
      const t0 = performance.now();
      const { hits, report } = await store.queryWithReport(q, K);
      latencies.push(performance.now() - t0);
      expect(ids(hits)).toEqual(truth[i]);
      expect(report).toMatchObject({ quorumMet: true, timedOut: ['faulty-faiss-flat'] });
    }
    expect(Math.max(...latencies)).toBeLessThan(timeoutMs + 100);
    expect(Math.min(...latencies)).toBeGreaterThanOrEqual(timeoutMs - 5);
    const slow = store.consensusReport().perBackend[1];
    // A timeout is not a lie: the slow backend keeps its weight.
    expect(slow).toMatchObject({ timeouts: 20, failures: 0, weight: 1, suspect: false, answered: 0 });
  });
});

describe('consensus: settle at the quorum', () => {
  it('answers as soon as the quorum holds and no late vote can change the top-k; the slow vote counts when it comes', async () => {
    const store = await build(
      [{ store: 'exact' }, { store: { name: 'faulty', store: 'faiss-flat', slow: { latencyMs: 300, operations: ['query'] } } }, { store: 'hnswlib' }],
      { query: { timeoutMs: 1000, settle: 'quorum' } },
    );
    await ingest(store, records);
    const latencies: number[] = [];
    for (const [i, q] of queries.slice(0, 10).entries()) {
      const t0 = performance.now();
      const { hits, report } = await store.queryWithReport(q, K);
      latencies.push(performance.now() - t0);
      expect(ids(hits)).toEqual(truth[i]);
      expect(report.quorumMet).toBe(true);
      expect(report.agreed.sort()).toEqual(['exact', 'hnswlib']);
    }
    // Not held up by the slow backend.
    expect(Math.max(...latencies)).toBeLessThan(150);
    // Its late answers are counted when they come: it agrees, keeps its weight, and is no dissenter.
    await new Promise((r) => setTimeout(r, 400));
    expect(store.consensusReport().perBackend[1]).toMatchObject({ answered: 10, dissents: 0, timeouts: 0, weight: 1, suspect: false });
  });

  it('waits for a late vote that could still change the top-k (the two fast backends disagree)', async () => {
    const store = await build(
      [
        { store: 'exact' },
        { store: { name: 'faulty', store: 'exact', slow: { latencyMs: 200, operations: ['query'] } } },
        { store: { name: 'faulty', store: 'exact', byzantine: { mode: 'random-ids' } } },
      ],
      { query: { timeoutMs: 1000, settle: 'quorum' } },
    );
    await ingest(store, records);
    const t0 = performance.now();
    const { hits, report } = await store.queryWithReport(queries[0] as Float32Array, K);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(190);
    expect(ids(hits)).toEqual(truth[0]);
    expect(report.dissented).toEqual(['faulty-exact-2']);
  });
});

describe('consensus: one byzantine backend of three', () => {
  it('is outvoted on every query, flagged suspect after the stated number of queries, and regains its weight once healed', async () => {
    const store = await build([{ store: 'exact' }, { store: { name: 'faulty', store: 'faiss-flat', byzantine: { mode: 'random-ids' } } }, { store: 'hnswlib' }]);
    await ingest(store, records);
    const liar = () => store.consensusReport().perBackend[1];
    for (const [i, q] of queries.slice(0, 40).entries()) {
      const { hits, report } = await store.queryWithReport(q, K);
      expect(ids(hits)).toEqual(truth[i]);
      expect(report.dissented).toEqual(['faulty-faiss-flat']);
      expect(report.quorumMet).toBe(true);
      if (i + 1 < FLAG_AFTER) expect(liar()?.suspect).toBe(false);
    }
    expect(FLAG_AFTER).toBe(4); // alpha 0.2, suspect below 0.5: 0.8^4 = 0.41
    expect(liar()).toMatchObject({ suspect: true, flaggedAfterQueries: FLAG_AFTER, dissents: 40 });
    expect(liar()?.weight).toBeLessThanOrEqual(0.06);
    // With the liar down-weighted, agreement of those answering is back near 1.
    const { report } = await store.queryWithReport(queries[40] as Float32Array, K);
    expect(report.agreement).toBeGreaterThan(0.97);

    await faultyIn(store, 'faulty-faiss-flat').heal();
    // From the floor 0.05 with overlap 1: 1 - 0.95 * 0.8^n >= 0.8 needs n = 7.
    for (const q of queries.slice(41, 47)) await store.query(q, K);
    expect(liar()?.suspect).toBe(true);
    await store.query(queries[47] as Float32Array, K);
    expect(liar()).toMatchObject({ suspect: false, flaggedAfterQueries: FLAG_AFTER });
    for (const q of queries.slice(48, 80)) await store.query(q, K);
    expect(liar()?.weight).toBeGreaterThan(0.99);
  });

  it('other-document lies are outvoted and flagged; shuffled order and wrong scores cannot move the merged answer', async () => {
    for (const mode of ['other-document', 'shuffled', 'wrong-scores'] as const) {
      const store = await build([{ store: 'exact' }, { store: { name: 'faulty', store: 'faiss-flat', byzantine: { mode } } }, { store: 'faiss-flat' }]);
      await ingest(store, records, 500);
      const honest = store.backendStore('exact');
      for (const [i, q] of queries.slice(0, 15).entries()) {
        const hits = await store.query(q, K);
        expect(ids(hits), mode).toEqual(truth[i]);
        const single = await honest.query(q, K);
        hits.forEach((h, j) => expect(h.score).toBeCloseTo(single[j]?.score as number, 5));
      }
      // Shuffling or rescoring the right ids is not a disagreement on which chunks answer: not flagged.
      expect(store.consensusReport().perBackend[1]?.suspect, mode).toBe(mode === 'other-document');
    }
  });
});

describe('consensus: two byzantine backends of five (the documented limit)', () => {
  const honest = [{ store: 'exact' }, { store: 'faiss-flat' }, { store: 'hnswlib' }];
  // Same seed, same data, same calls: the two liars tell the same lies (collusion).
  const liars = [
    { store: { name: 'faulty', store: 'exact', seed: 5, byzantine: { mode: 'random-ids' } } },
    { store: { name: 'faulty', store: 'exact', seed: 5, byzantine: { mode: 'random-ids' } } },
  ];

  it('honest plurality answers every query; no quorum on the first 2 (3/5 < 2/3); quorum from the 3rd; both liars flagged after 4', async () => {
    const store = await build([...honest, ...liars]);
    await ingest(store, records);
    for (const [i, q] of queries.slice(0, 30).entries()) {
      const { hits, report } = await store.queryWithReport(q, K);
      expect(ids(hits)).toEqual(truth[i]);
      expect(report.quorumMet).toBe(i >= 2);
      expect(report.dissented).toEqual(['faulty-exact', 'faulty-exact-2']);
    }
    const figures = store.consensusReport();
    expect(figures.noQuorum).toBe(2);
    expect(figures.perBackend.filter((b) => b.suspect).map((b) => [b.name, b.flaggedAfterQueries])).toEqual([
      ['faulty-exact', 4],
      ['faulty-exact-2', 4],
    ]);
  });

  it('with onNoQuorum: error, those first 2 queries are refused instead of returned', async () => {
    const store = await build([...honest, ...liars], { query: { onNoQuorum: 'error' } });
    await ingest(store, records, 500);
    for (const q of queries.slice(0, 2)) await expect(store.query(q, K)).rejects.toThrow(NoQuorumError);
    await expect(store.query(queries[2] as Float32Array, K)).resolves.toHaveLength(K);
  });

  it('cannot guarantee an answer when one honest backend is also down: 2 honest vs 2 colluding liars never reach a quorum', async () => {
    const store = await build([honest[0], honest[1], { store: { name: 'faulty', store: 'hnswlib', crash: {} } }, ...liars]);
    await ingest(store, records, 500);
    let wrong = 0;
    for (const [i, q] of queries.slice(0, 30).entries()) {
      const { hits, report } = await store.queryWithReport(q, K);
      expect(report.quorumMet).toBe(false); // never certified: safety holds
      if (JSON.stringify(ids(hits)) !== JSON.stringify(truth[i])) wrong++;
    }
    // ... but the best-effort answers are mixtures, and no one can tell the liars apart: no trust moves.
    expect(wrong).toBeGreaterThan(25);
    const figures = store.consensusReport();
    expect(figures.answeredFraction).toBe(0);
    expect(figures.perBackend.every((b) => !b.suspect && b.trust === 1)).toBe(true);
  });
});

describe('consensus: partial writes', () => {
  it('reconcile names the ids a backend silently dropped, and repair copies them from a healthy backend', async () => {
    const store = await build([{ store: 'exact' }, { store: { name: 'faulty', store: 'faiss-flat', seed: 3, partial: { dropFraction: 0.1 } } }, { store: 'hnswlib' }], {
      maxIdsListed: 1000,
    });
    await ingest(store, records);
    const dropped = [...faultyIn(store, 'faulty-faiss-flat').droppedIds()];
    expect(dropped.length).toBeGreaterThan(100);
    expect(dropped.length).toBeLessThan(200);
    const rec = await store.reconcile();
    const row = rec.backends.find((b) => b.backend === 'faulty-faiss-flat');
    expect(row).toMatchObject({ reachable: true, count: 1500 - dropped.length, missingCount: dropped.length, extraCount: 0 });
    expect([...(row?.missing ?? [])].sort()).toEqual([...dropped].sort());
    expect(rec).toMatchObject({ chunksLost: 0, consistent: false });

    // The fault passes (an overloaded server recovers); a backend still dropping would drop the copies too.
    faultyIn(store, 'faulty-faiss-flat').setFaults({});
    const repaired = await store.repair();
    expect(repaired.backends.find((b) => b.backend === 'faulty-faiss-flat')).toEqual({
      backend: 'faulty-faiss-flat',
      copied: dropped.length,
      deleted: 0,
      unrecoverable: [],
    });
    expect(repaired.after).toMatchObject({ consistent: true, chunksLost: 0 });
    expect(store.consensusReport().reconcile?.consistent).toBe(true);
  });

  it('a record dropped by the only backend that got it is reported lost, by id', async () => {
    const store = await build([
      { store: { name: 'faulty', store: 'exact', partial: { dropFraction: 1 } } },
      { store: { name: 'faulty', store: 'exact', crash: {} } },
    ]);
    await store.upsert(records.slice(0, 3));
    await store.catchUp(); // still down: the log keeps them, so nothing is lost yet
    expect((await store.reconcile()).chunksLost).toBe(0);
    // The down backend's log is the last copy; drop it (as a lost disk would).
    faultyIn(store, 'faulty-exact-2').setFaults({ partial: { dropFraction: 1 } });
    await store.catchUp();
    const rec = await store.reconcile();
    expect(rec.chunksLost).toBe(3);
    expect(rec.lostIds).toEqual(['c0', 'c1', 'c2']);
    expect(rec.failure).toMatch(/^consensus: 3 of 3 written chunks are held by no reachable backend and no write-ahead log: c0, c1, c2$/);
    expect(store.consensusReport().chunksLost).toBe(3);
  });
});
