import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mapLimit, retry, TimeoutError, withTimeout } from '../../../src/store/consensus/async.ts';
import { FaultyStore, registerServerHooks, type ServerHooks } from '../../../src/store/consensus/faults.ts';
import { backendLabels, consensusOptionsSchema } from '../../../src/store/consensus/options.ts';
import { mergeBallots, overlap, weightedMedian } from '../../../src/store/consensus/vote.ts';
import { WriteAheadLog } from '../../../src/store/consensus/wal.ts';
import { queriesToFlag, Trust } from '../../../src/store/consensus/weights.ts';
import { createStore, validateStore } from '../../../src/store/registry.ts';
import { InputError } from '../../../src/util/errors.ts';
import { consensusOver, dataset, DIMENSIONS, faultyIn, ingest } from './fixtures.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'consensus-test-'));
  dirs.push(dir);
  return dir;
}
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('vote', () => {
  const h = (...ids: string[]) => ids.map((id, i) => ({ id, score: 1 - i / 10 }));
  it('keeps the ids most weight voted for, best first by the weighted median score', () => {
    const merged = mergeBallots(
      [
        { backend: 'a', weight: 1, hits: h('x', 'y', 'z') },
        { backend: 'b', weight: 1, hits: h('x', 'y', 'w') },
        { backend: 'liar', weight: 1, hits: [{ id: 'q', score: 5 }, { id: 'w', score: 4 }, { id: 'y', score: 3 }] },
      ],
      3,
    );
    // y and w have 3 and 2 votes; x 2, z 1, q 1. y's median score is 0.9 (a, b), not the liar's 3.
    expect(merged.map((m) => m.id)).toEqual(['x', 'y', 'w']);
    expect(merged[1]?.score).toBeCloseTo(0.9);
    expect(merged[2]?.score).toBeCloseTo(0.8); // w: median of 0.8 (b) and 4 (liar) = lower = 0.8
  });

  it('a rank cannot buy a place: presence decides membership', () => {
    const merged = mergeBallots(
      [
        { backend: 'a', weight: 1, hits: h('x', 'y') },
        { backend: 'b', weight: 1, hits: h('x', 'y') },
        { backend: 'liar', weight: 1.5, hits: h('q', 'x') },
      ],
      2,
    );
    // The liar ranks q first with weight 1.5; y, listed by two backends, holds 2.
    expect(merged.map((m) => m.id)).toEqual(['x', 'y']);
  });

  it('weighted median and overlap', () => {
    expect(weightedMedian([{ value: 3, weight: 1 }, { value: 1, weight: 1 }, { value: 2, weight: 1 }])).toBe(2);
    expect(weightedMedian([{ value: 9, weight: 0.1 }, { value: 1, weight: 1 }])).toBe(1);
    expect(overlap(h('a', 'b', 'c', 'a'), h('a', 'c', 'd'), 3)).toBeCloseTo(2 / 3);
    expect(overlap([], [], 3)).toBe(1);
    expect(overlap(h('a'), h('a', 'b'), 3)).toBe(0.5);
  });
});

describe('adaptive trust', () => {
  const options = consensusOptionsSchema.parse({ backends: [{ store: 'exact' }] }).weights;
  it('falls by the EMA to the floor, flags below suspectBelow, clears at recoverAbove', () => {
    const t = new Trust(options);
    for (let q = 1; q <= 3; q++) t.observe(0, q);
    expect(t.value).toBeCloseTo(0.512);
    expect(t.suspect).toBe(false);
    t.observe(0, 4);
    expect(t).toMatchObject({ suspect: true, flaggedAfterQueries: 4 });
    expect(queriesToFlag(options)).toBe(4);
    for (let q = 5; q < 40; q++) t.observe(0, q);
    expect(t.value).toBe(options.floor);
    t.observe(1, 40);
    expect(t.suspect).toBe(true); // one honest answer lifts it to 0.24 only
    for (let q = 41; q < 50; q++) t.observe(1, q);
    expect(t).toMatchObject({ suspect: false, flaggedAfterQueries: 4 });
  });

  it('non-adaptive weights keep the base weight but still flag', () => {
    const t = new Trust({ ...options, adaptive: false });
    for (let q = 1; q <= 10; q++) t.observe(0, q);
    expect(t.factor).toBe(1);
    expect(t.suspect).toBe(true);
  });
});

describe('write-ahead log', () => {
  it('appends fsync\'d JSON lines, reads them back exactly (float32 vectors too), and truncates', async () => {
    const dir = await tempDir();
    const log = await WriteAheadLog.open(dir, 'b1', true);
    const vector = Float32Array.from([0.1, -1 / 3, 1e-8]);
    await log.append({ op: 'upsert', records: [{ id: 'a', vector, metadata: { documentId: 'd', page: 2, x: null } }] });
    await log.append({ op: 'delete', ids: ['a', 'b'] });
    await log.append({ op: 'deleteByDocument', documentId: 'd' });
    expect(log.pending).toBe(3);
    const again = await WriteAheadLog.open(dir, 'b1', true);
    expect(again.pending).toBe(3);
    const [u, d, dd] = await again.read();
    expect(u).toEqual({ op: 'upsert', records: [{ id: 'a', vector, metadata: { documentId: 'd', page: 2, x: null } }] });
    expect(d).toEqual({ op: 'delete', ids: ['a', 'b'] });
    expect(dd).toEqual({ op: 'deleteByDocument', documentId: 'd' });
    await again.truncate();
    expect(await readFile(join(dir, 'b1.wal.jsonl'), 'utf8')).toBe('');
    expect(again.pending).toBe(0);
  });

  it('drops a torn last line (a crash mid-append) but refuses a corrupt line in the middle', async () => {
    const dir = await tempDir();
    const path = join(dir, 'b.wal.jsonl');
    await writeFile(path, '{"v":1,"op":"delete","ids":["a"]}\n{"v":1,"op":"del');
    expect(await (await WriteAheadLog.open(dir, 'b', true)).read()).toEqual([{ op: 'delete', ids: ['a'] }]);
    await writeFile(path, 'garbage\n{"v":1,"op":"delete","ids":["a"]}\n');
    await expect(WriteAheadLog.open(dir, 'b', true)).rejects.toThrow(`${path}: line 1 is not a write-ahead log entry`);
  });

  it('pending writes survive the router: a new router over the same walDir replays them', async () => {
    const walDir = await tempDir();
    const { records } = dataset(200, 0);
    const backends = [{ store: 'exact' }, { store: { name: 'faulty', store: 'exact', crash: {} }, label: 'flaky' }];
    const first = await consensusOver(backends, { walDir });
    await ingest(first, records);
    expect(first.consensusReport().writes.walPending).toBe(2);
    await first.close();
    expect((await readFile(join(walDir, 'flaky.wal.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(2);

    // The process "restarts": the flaky backend is back (empty, like a server that lost its data).
    const second = await consensusOver([{ store: 'exact' }, { store: 'exact', label: 'flaky' }], { walDir });
    expect(second.consensusReport().perBackend[1]).toMatchObject({ behind: true });
    expect(await second.catchUp()).toContainEqual({ backend: 'flaky', replayed: 2, pending: 0 });
    expect(await second.backendStore('flaky').count()).toBe(200);
    await second.close();
  });
});

describe('fault injection', () => {
  const { records, queries } = dataset(300, 5);
  async function faulty(options: Record<string, unknown>): Promise<FaultyStore> {
    const store = (await createStore('faulty', DIMENSIONS, { store: 'exact', ...options })) as FaultyStore;
    return store;
  }

  it('crash: refuses like a closed port after afterCalls, then comes back after restartAfterMs with its data', async () => {
    const store = await faulty({ crash: { afterCalls: 1, restartAfterMs: 100 } });
    await store.upsert(records);
    const refused = store.count();
    await expect(refused).rejects.toThrow('faulty(exact): connect ECONNREFUSED (injected crash)');
    await expect(refused).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await new Promise((r) => setTimeout(r, 120));
    expect(await store.count()).toBe(300);
    await store.close();
  });

  it('flapping by calls: up, up, down, up, up, down', async () => {
    const store = await faulty({ flapping: { upCalls: 2, downCalls: 1 } });
    const outcomes: boolean[] = [];
    for (let i = 0; i < 6; i++) outcomes.push(await store.count().then(() => true, () => false));
    expect(outcomes).toEqual([true, true, false, true, true, false]);
    await store.close();
  });

  it('flapping by time and slow with jitter', async () => {
    const flapping = await faulty({ flapping: { upMs: 60, downMs: 60 } });
    await expect(flapping.count()).resolves.toBe(0);
    await new Promise((r) => setTimeout(r, 70));
    await expect(flapping.count()).rejects.toThrow(/flapping: down/);
    await flapping.close();
    const slow = await faulty({ slow: { latencyMs: 50, jitterMs: 30, operations: ['count'] } });
    const t0 = performance.now();
    await slow.count();
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(49);
    expect(took).toBeLessThan(250);
    const t1 = performance.now();
    await slow.listIds(); // not listed: no delay
    expect(performance.now() - t1).toBeLessThan(20);
    await slow.close();
  });

  it('byzantine lies only on the queries it is told to (afterQueries, forQueries)', async () => {
    const store = await faulty({ byzantine: { mode: 'random-ids', afterQueries: 1, forQueries: 2 } });
    const honest = await createStore('exact', DIMENSIONS);
    for (const s of [store, honest]) await s.upsert(records);
    const q = queries[0] as Float32Array;
    const truth = (await honest.query(q, 10)).map((h) => h.id);
    const answers = [];
    for (let i = 0; i < 4; i++) answers.push((await store.query(q, 10)).map((h) => h.id));
    expect(answers.map((a) => JSON.stringify(a) === JSON.stringify(truth))).toEqual([true, false, false, true]);
    for (const s of [store, honest]) await s.close();
  });

  it('partial: drops a seeded fraction silently, the same ids for the same seed', async () => {
    const runs: string[][] = [];
    for (let i = 0; i < 2; i++) {
      const store = await faulty({ seed: 9, partial: { dropFraction: 0.2 } });
      await store.upsert(records);
      runs.push([...store.droppedIds()]);
      expect(await store.count()).toBe(300 - store.droppedIds().length);
      await store.close();
    }
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0]?.length).toBeGreaterThan(40);
    expect(runs[0]?.length).toBeLessThan(80);
  });

  it('crash.server calls the registered server hooks: kill at the crash, restart when it is due', async () => {
    const calls: string[] = [];
    // Stands in for serverHooks(managedServer); the real kill/restart is the runner's scenario.
    const hooks: ServerHooks = {
      kill: async () => void calls.push('kill'),
      stop: async () => void calls.push('stop'),
      restart: async () => void calls.push('restart'),
    };
    const unregister = registerServerHooks('test-server', hooks);
    const store = await faulty({ crash: { afterCalls: 1, restartAfterMs: 50, server: 'kill', target: 'test-server' } });
    await store.count();
    await store.count(); // crash: the hook kills the server, the call goes through to it
    expect(calls).toEqual(['kill']);
    await new Promise((r) => setTimeout(r, 60));
    await store.count();
    expect(calls).toEqual(['kill', 'restart']);
    await store.close();
    unregister();
    await expect(faulty({ crash: { server: 'kill', target: 'test-server' } })).rejects.toThrow(/crash.target "test-server" names no running server/);
  });

  it('setFaults switches faults at run time inside a consensus store', async () => {
    const store = await consensusOver([{ store: 'exact' }, { store: { name: 'faulty', store: 'exact' } }, { store: 'exact', label: 'third' }]);
    await ingest(store, records);
    faultyIn(store, 'faulty-exact').setFaults({ crash: {} });
    await store.upsert(records.slice(0, 10));
    expect(store.consensusReport().writes.walPending).toBe(1);
    await store.close();
  });
});

describe('options', () => {
  it('defaults, labels, and errors that name the field', () => {
    const o = consensusOptionsSchema.parse({ backends: [{ store: 'exact' }, { store: 'exact' }, { store: { name: 'faulty', store: 'hnswlib' } }] });
    expect(o.query).toEqual({ timeoutMs: 2000, quorum: 2 / 3, onNoQuorum: 'best-effort', settle: 'all', agreeOverlap: 0.8 });
    expect(o.weights).toEqual({ adaptive: true, alpha: 0.2, floor: 0.05, suspectBelow: 0.5, recoverAbove: 0.8 });
    expect(o.write).toMatchObject({ concurrency: 4, attempts: 3, minAcks: 1 });
    expect(backendLabels(o.backends)).toEqual(['exact', 'exact-2', 'faulty-hnswlib']);
    expect(() => validateStore('consensus', { backends: [{ store: 'exact' }], quorum: 0.7 })).toThrow(InputError);
    expect(() => validateStore('consensus', { backends: [{ store: 'nope' }] })).toThrow(/backends\.0\.store: unknown vector store "nope"/);
    expect(() => validateStore('consensus', { backends: [{ store: { name: 'hnswlib', ef: 3 } }] })).toThrow(/backends\.0\.store: .*ef/);
    expect(() => validateStore('consensus', { backends: [] })).toThrow(/backends/);
    expect(() => validateStore('faulty', { store: 'exact', byzantine: { mode: 'lies' } })).toThrow(/byzantine\.mode/);
    expect(() => validateStore('consensus', { backends: [{ store: 'exact' }], query: { quorum: 0.4 } })).toThrow(/query\.quorum/);
    validateStore('consensus', { backends: [{ store: 'exact', weight: 2, label: 'a' }, { store: { name: 'faulty', store: 'faiss-flat', slow: { latencyMs: 5 } } }] });
  });
});

describe('async helpers', () => {
  it('timeouts, retries with backoff, bounded parallelism', async () => {
    await expect(withTimeout(new Promise(() => undefined), 20, 'x: query')).rejects.toThrow(new TimeoutError('x: query', 20));
    let tries = 0;
    let retries = 0;
    const policy = { attempts: 3, backoffMs: 5, backoffFactor: 2, maxBackoffMs: 100, timeoutMs: 100 };
    const value = await retry(async () => (++tries < 3 ? Promise.reject(new Error('no')) : 'ok'), policy, 'x', () => retries++);
    expect([value, tries, retries]).toEqual(['ok', 3, 2]);
    await expect(retry(() => Promise.reject(new Error('always')), policy, 'x', () => undefined)).rejects.toThrow('always');
    let inFlight = 0;
    let peak = 0;
    const out = await mapLimit([1, 2, 3, 4, 5], 2, async (n) => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      return n * 2;
    });
    expect(out).toEqual([2, 4, 6, 8, 10]);
    expect(peak).toBe(2);
  });
});
