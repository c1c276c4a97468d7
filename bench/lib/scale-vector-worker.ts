/**
 * One store at one size, in a process of its own (so its RSS is its own, and an over-budget
 * native call can be killed from outside). Spawned by bench/scale-vectors.ts:
 *
 *   node --expose-gc --import tsx bench/lib/scale-vector-worker.ts prepare --n N --sizes N1,N2 --queries Q
 *   node --expose-gc --import tsx bench/lib/scale-vector-worker.ts measure --store S --n N --queries Q --budget SECONDS --query-budget SECONDS
 *
 * Reports on stdout as lines "@@<json>": {event: "progress", inserted, seconds} after each upsert
 * call, then {event: "result", entry}. Inserts stop between upsert calls once the budget is spent;
 * the queries then run on what was inserted, against the exact answer over that prefix.
 */
import { parseArgs } from 'node:util';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { VectorRecord } from '../../src/store/types.ts';
import { DEFAULT_SPEC, vectorAt } from './clustered-vectors.ts';
import { recallAtK } from './exact-truth.ts';
import { summariseLatency } from './latency.ts';
import { repoRoot } from './sentence-vectors.ts';
import { ensureScaleData, loadScaleData, truthFor } from './scale-data.ts';
import { openStoreUnderTest, type ScaleStoreName } from './scale-stores.ts';
import type { ProgressPoint, ScaleVectorEntry } from '../../src/scale/vectors-schema.ts';

export const SCALE_DATA_DIR = join(repoRoot, '.cache', 'scale-vectors');

const emit = (event: object): void => {
  process.stdout.write(`@@${JSON.stringify(event)}\n`);
};

const gc = (): void => (globalThis as { gc?: () => void }).gc?.();

async function measure(store: ScaleStoreName, n: number, queryCount: number, budgetSeconds: number, queryBudgetSeconds: number): Promise<ScaleVectorEntry> {
  const data = loadScaleData(SCALE_DATA_DIR, DEFAULT_SPEC, n, queryCount);
  const d = DEFAULT_SPEC.dimensions;
  const subject = await openStoreUnderTest(store, d);
  const loadAtStart = Math.round((loadavg()[0] ?? 0) * 100) / 100; // the machine is shared: this says how busy it was
  const entry: ScaleVectorEntry = { store, target: n, status: 'complete', inserted: 0, progress: [], budgetSeconds };
  try {
    gc();
    const before = subject.memory();
    let peak = before.bytes;
    const started = performance.now();
    const elapsed = () => (performance.now() - started) / 1000;
    while (entry.inserted < n) {
      if (elapsed() > budgetSeconds) {
        entry.status = 'partial';
        entry.reason = `insert budget of ${budgetSeconds} s spent: ${entry.inserted.toLocaleString('en')} of ${n.toLocaleString('en')} inserted`;
        break;
      }
      const end = Math.min(n, entry.inserted + subject.upsertBatch);
      const batch: VectorRecord[] = [];
      for (let i = entry.inserted; i < end; i++) {
        batch.push({ id: `v${i}`, vector: vectorAt(data.flat, d, i), metadata: { documentId: `t${data.topics[i]}` } });
      }
      await subject.store.upsert(batch);
      entry.inserted = end;
      peak = Math.max(peak, subject.memory().bytes);
      const point: ProgressPoint = { inserted: end, seconds: Math.round(elapsed() * 100) / 100 };
      entry.progress.push(point);
      emit({ event: 'progress', ...point });
    }
    if (subject.finishLoad) {
      const indexStarted = performance.now();
      await subject.finishLoad(entry.inserted);
      entry.indexSeconds = Math.round((performance.now() - indexStarted) / 10) / 100;
      peak = Math.max(peak, subject.memory().bytes);
    }
    if (subject.loading) entry.loading = subject.loading;
    const buildSeconds = elapsed();
    entry.buildSeconds = Math.round(buildSeconds * 1000) / 1000;
    entry.insertPerSecond = Math.round(entry.inserted / Math.max(buildSeconds, 1e-3));
    gc();
    const after = subject.memory();
    peak = Math.max(peak, after.bytes);
    entry.memory = { kind: before.kind, beforeBytes: before.bytes, afterBytes: after.bytes, deltaBytes: after.bytes - before.bytes, peakBytes: peak };

    const saveStarted = performance.now();
    const disk = await subject.disk();
    if (disk) entry.disk = { ...disk, saveSeconds: Math.round((performance.now() - saveStarted) / 10) / 100 };

    // Ground truth over what was inserted (the cached full-size answer when all of it was).
    const truth = truthFor(SCALE_DATA_DIR, data, entry.inserted);
    entry.truth = `exact inner-product top 10 (FAISS IndexFlatIP batch search) over the ${entry.inserted.toLocaleString('en')} inserted vectors`;
    const times: number[] = [];
    const found: string[][] = [];
    const queryStarted = performance.now();
    for (let q = 0; q < queryCount; q++) {
      if ((performance.now() - queryStarted) / 1000 > queryBudgetSeconds) break;
      const vector = vectorAt(data.queries, d, q);
      const t = performance.now();
      const hits = await subject.store.query(vector, 10);
      times.push(performance.now() - t);
      found.push(hits.map((h) => h.id));
    }
    entry.query = summariseLatency(times);
    entry.loadAverage = { atStart: loadAtStart, atEnd: Math.round((loadavg()[0] ?? 0) * 100) / 100 };
    entry.recallAt10 = Math.round(recallAtK(found, truth.slice(0, found.length), 10) * 10000) / 10000;
    return entry;
  } finally {
    await subject.close();
  }
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    store: { type: 'string' },
    n: { type: 'string' },
    sizes: { type: 'string' },
    queries: { type: 'string', default: '300' },
    budget: { type: 'string', default: '900' },
    'query-budget': { type: 'string', default: '120' },
  },
});
const n = Number(values.n);
const queryCount = Number(values.queries);
if (positionals[0] === 'prepare') {
  ensureScaleData(SCALE_DATA_DIR, DEFAULT_SPEC, n, queryCount, (line) => console.error(line));
  for (const size of (values.sizes ?? String(n)).split(',').map(Number)) {
    const started = performance.now();
    truthFor(SCALE_DATA_DIR, loadScaleData(SCALE_DATA_DIR, DEFAULT_SPEC, size, queryCount), size);
    console.error(`exact top 10 at ${size.toLocaleString('en')}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
} else if (positionals[0] === 'measure') {
  const entry = await measure(values.store as ScaleStoreName, n, queryCount, Number(values.budget), Number(values['query-budget']));
  emit({ event: 'result', entry });
} else {
  throw new Error('usage: scale-vector-worker.ts prepare|measure …');
}
process.exit(0); // servers' clients and native handles need not keep the worker alive
