import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { LatencyRecorder } from '../evaluate/latency.ts';
import { ExactStore } from '../store/exact.ts';
import type { VectorIndex, VectorRecord, VectorStore } from '../store/types.ts';
import type { BackendRun } from '../summary/schema.ts';

export interface BackendFigureOptions {
  /** Queries in flight at once for the throughput figure. */
  concurrency: number;
  /** Queries timed for the throughput figure (spread over the question vectors, repeated if needed). */
  queries: number;
}

const RECALL_K = 10;
/** Records read back per `get` call. */
const READ_BATCH = 1000;

export function isVectorStore(store: VectorIndex | undefined): store is VectorStore {
  return store !== undefined && 'listIds' in store && 'get' in store;
}

async function readAll(store: VectorStore): Promise<VectorRecord[]> {
  const ids = await store.listIds();
  const out: VectorRecord[] = [];
  for (let i = 0; i < ids.length; i += READ_BATCH) out.push(...(await store.get(ids.slice(i, i + READ_BATCH))));
  return out;
}

/** Mean over queries of |store top-10 ∩ exact top-10| / |exact top-10|, over the very vectors the store holds. */
async function recallVsExact(store: VectorStore, records: readonly VectorRecord[], queries: readonly Float32Array[]): Promise<number | null> {
  if (records.length === 0 || queries.length === 0) return null;
  const exact = new ExactStore(store.dimensions);
  await exact.upsert(records);
  let sum = 0;
  for (const q of queries) {
    const truth = new Set((await exact.query(q, RECALL_K)).map((h) => h.id));
    const got = await store.query(q, RECALL_K);
    sum += got.filter((h) => truth.has(h.id)).length / Math.max(1, truth.size);
  }
  await exact.close();
  return sum / queries.length;
}

/** `concurrency` loops share `total` queries; every query's latency goes into one HDR histogram. */
async function throughput(store: VectorIndex, queries: readonly Float32Array[], o: BackendFigureOptions): Promise<BackendRun['throughput']> {
  if (queries.length === 0) return null;
  const recorder = new LatencyRecorder();
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < o.queries) {
      const q = queries[next++ % queries.length] as Float32Array;
      const t0 = performance.now();
      try {
        await store.query(q, RECALL_K);
        recorder.record(performance.now() - t0);
      } catch {
        errors++;
      }
      // In-process stores answer in microtasks: let the other loops (and signals) in.
      if (next % 16 === 0) await yieldToEventLoop();
    }
  };
  await Promise.all(Array.from({ length: o.concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  const stats = recorder.stats();
  return {
    concurrency: o.concurrency,
    queries: o.queries,
    seconds,
    queriesPerSecond: (o.queries - errors) / seconds,
    p50Ms: stats.p50Ms,
    p95Ms: stats.p95Ms,
    p99Ms: stats.p99Ms,
    errors,
  };
}

/** The store on its own: recall@10 against exact search and queries/s at a fixed concurrency. */
export async function measureBackend(
  store: VectorStore,
  queries: readonly Float32Array[],
  options: BackendFigureOptions,
): Promise<BackendRun> {
  const records = await readAll(store);
  return {
    version: 1,
    store: store.id,
    vectors: records.length,
    recallAt10VsExact: await recallVsExact(store, records, queries),
    throughput: await throughput(store, queries, options),
  };
}
