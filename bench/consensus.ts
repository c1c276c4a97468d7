/**
 * Consensus overhead: query latency of the consensus store against each of its backends alone
 * (no assertions; prints figures).
 *
 *   npx tsx bench/consensus.ts [--records N] [--queries N] [--dimensions D] [--rtt-ms MS]
 *
 * Two settings, same seeded data (clustered unit vectors, like real embeddings):
 * 1. in-process backends (exact, faiss-flat, hnswlib): their searches are synchronous native or
 *    JS calls, so "in parallel" they still run one after another on the one JS thread;
 * 2. the same backends behind a simulated network round trip (a `faulty` slow wrapper of
 *    rtt-ms ± rtt-ms/2 on every query, on the single backends as on the consensus), where the
 *    calls overlap as they do against real servers.
 * Overhead = consensus p95 / p95 of the slowest healthy backend alone − 1.
 */
import { parseArgs } from 'node:util';
import { l2normalize } from '../src/embed/vector.ts';
import { quantile } from '../src/stats/quantile.ts';
import type { ConsensusStore } from '../src/store/consensus/router.ts';
import { createStore } from '../src/store/registry.ts';
import type { VectorStore } from '../src/store/types.ts';
import { randomUnitVectors } from '../test/store/data.ts';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '20000' },
    queries: { type: 'string', default: '400' },
    dimensions: { type: 'string', default: '128' },
    'rtt-ms': { type: 'string', default: '2' },
  },
});
const count = Number(args.records);
const queryCount = Number(args.queries);
const dimensions = Number(args.dimensions);
const rttMs = Number(args['rtt-ms']);

const centres = randomUnitVectors(50, dimensions, 1);
const noise = randomUnitVectors(count + queryCount, dimensions, 42);
const near = (i: number, n: Float32Array) => l2normalize((centres[i % 50] as Float32Array).map((x, j) => x + 0.8 * (n[j] as number)));
const records = noise.slice(0, count).map((n, i) => ({ id: `c${i}`, vector: near(i, n), metadata: { documentId: `doc${i % 50}` } }));
const queries = noise.slice(count).map((n, i) => near(i * 7, n));

/** Per query, each backend alone and then the consensus, in turn: load drift on a shared machine hits all alike. */
async function interleaved(stores: readonly VectorStore[]): Promise<number[][]> {
  for (const q of queries.slice(0, 30)) for (const s of stores) await s.query(q, 10); // warm-up
  const out = stores.map(() => [] as number[]);
  for (const q of queries) {
    for (const [i, s] of stores.entries()) {
      const t0 = performance.now();
      await s.query(q, 10);
      out[i]?.push(performance.now() - t0);
    }
  }
  return out;
}

const fmt = (ms: number) => ms.toFixed(3).padStart(8);

async function setting(title: string, wrap: (name: string) => unknown): Promise<void> {
  const names = ['exact', 'faiss-flat', 'hnswlib'];
  const store = (await createStore('consensus', dimensions, {
    backends: names.map((name) => ({ store: wrap(name), label: name })),
    fsync: false,
  })) as ConsensusStore;
  for (let i = 0; i < records.length; i += 1000) await store.upsert(records.slice(i, i + 1000));
  console.log(`\n${title}`);
  console.log('store          p50 ms   p95 ms');
  const measured = await interleaved([...names.map((n) => store.backendStore(n)), store]);
  let slowestP95 = 0;
  for (const [i, name] of names.entries()) {
    const l = measured[i] as number[];
    slowestP95 = Math.max(slowestP95, quantile(l, 0.95));
    console.log(`${name.padEnd(12)} ${fmt(quantile(l, 0.5))} ${fmt(quantile(l, 0.95))}`);
  }
  const c = measured[names.length] as number[];
  const p95 = quantile(c, 0.95);
  console.log(`${'consensus'.padEnd(12)} ${fmt(quantile(c, 0.5))} ${fmt(p95)}`);
  const figures = store.consensusReport();
  console.log(
    `overhead vs the slowest healthy backend (p95): ${((p95 / slowestP95 - 1) * 100).toFixed(1)} %; ` +
      `mean agreement ${figures.meanAgreement?.toFixed(4)}; quorum met on ${((figures.answeredFraction ?? 0) * 100).toFixed(1)} % of queries`,
  );
  await store.close();
}

console.log(`consensus bench: ${count} records, ${dimensions}-d, ${queryCount} queries, k = 10, Node ${process.version}`);
await setting('1. in-process backends (synchronous searches: the "parallel" calls run one after another)', (name) => name);
await setting(`2. behind a simulated network round trip of ${rttMs} ± ${rttMs / 2} ms per query`, (name) => ({
  name: 'faulty',
  store: name,
  slow: { latencyMs: rttMs / 2, jitterMs: rttMs, operations: ['query'] },
}));
