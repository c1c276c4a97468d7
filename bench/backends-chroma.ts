/**
 * Chroma against a real server it starts itself: start time, upsert rate, query latency and
 * recall@10 against exact search, on USE-lite embeddings of real sentences (no assertions).
 *
 *   npx tsx bench/backends-chroma.ts [--golden DIR] [--n 3000] [--batch 500]
 *
 * Sentences come from the golden set's evidence passages (SQuAD 2.0 dev by default), queries are
 * its real questions. Embeddings are cached under .cache/backends-bench/, so only the first run
 * embeds (~35 sentences/s on 2 cores).
 */
import { rmSync } from 'node:fs';
import { UseLiteEmbedder } from '../src/embed/use-lite.ts';
import { benchArgs, benchCorpus, embedCached } from './lib/sentence-vectors.ts';
import { ChromaServer } from '../src/servers/chroma.ts';
import { ExactStore } from '../src/store/exact.ts';
import { createStore } from '../src/store/registry.ts';

const args = benchArgs();

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

const { texts, questions } = await benchCorpus(args.golden, args.n);
const embedder = new UseLiteEmbedder();
const vectors = await embedCached(embedder, texts);
const queries = await embedCached(embedder, questions);
await embedder.close?.();
const records = vectors.map((vector, i) => ({ id: `s${i}`, vector, metadata: { documentId: `doc${i % 50}`, sentence: i } }));
console.log(`${records.length} sentences (${embedder.dimensions}-d USE-lite), ${queries.length} real questions`);

const server = await ChromaServer.create();
try {
  let started = performance.now();
  await server.start();
  console.log(`server start: ${(performance.now() - started).toFixed(0)} ms (to first heartbeat)`);
  const store = await createStore('chroma', embedder.dimensions, { url: server.url, batchSize: args.batch });

  started = performance.now();
  await store.upsert(records);
  let seconds = (performance.now() - started) / 1000;
  console.log(`upsert: ${records.length} in ${seconds.toFixed(2)} s = ${(records.length / seconds).toFixed(0)} vectors/s (batches of ${args.batch})`);
  started = performance.now();
  await store.upsert(records);
  seconds = (performance.now() - started) / 1000;
  console.log(`identical re-upsert: ${(records.length / seconds).toFixed(0)} vectors/s`);

  const truth = new ExactStore(embedder.dimensions);
  await truth.upsert(records);
  const times: number[] = [];
  let found = 0;
  for (const q of queries) {
    const t = performance.now();
    const hits = await store.query(q, 10);
    times.push(performance.now() - t);
    const want = new Set((await truth.query(q, 10)).map((h) => h.id));
    found += hits.filter((h) => want.has(h.id)).length;
  }
  times.sort((a, b) => a - b);
  console.log(
    `query k=10: median ${percentile(times, 0.5).toFixed(2)} ms, p95 ${percentile(times, 0.95).toFixed(2)} ms, p99 ${percentile(times, 0.99).toFixed(2)} ms over ${times.length}; recall@10 vs exact ${(found / (10 * queries.length)).toFixed(4)}`,
  );
  started = performance.now();
  const ids = await store.listIds();
  console.log(`listIds: ${ids.length} in ${(performance.now() - started).toFixed(0)} ms`);
  started = performance.now();
  const got = await store.get(ids.slice(0, 1000));
  console.log(`get 1000 (vectors + metadata): ${(performance.now() - started).toFixed(0)} ms (${got.length})`);
  started = performance.now();
  const deleted = await store.deleteByDocument('doc7');
  console.log(`deleteByDocument: ${deleted} records in ${(performance.now() - started).toFixed(0)} ms`);
  await store.close();
  started = performance.now();
  await server.stop();
  console.log(`server stop (SIGTERM): ${(performance.now() - started).toFixed(0)} ms`);
} finally {
  await server.stop();
  rmSync(server.dataDir, { recursive: true, force: true });
}
