/**
 * PostgreSQL + pgvector against a real server it starts itself: initdb + start time, upsert rate
 * (bulk load with the HNSW index rebuilt, and row by row into the index), HNSW build time, query
 * latency and recall@10 against exact search per ef_search, crash restart; on USE-lite
 * embeddings of real sentences (no assertions).
 *
 *   npx tsx bench/backends-pgvector.ts [--golden DIR] [--n 3000] [--batch 500]
 *
 * The data are bench/backends-chroma.ts's (same sentences, same cache under .cache/backends-bench/),
 * so the two backends are measured on identical vectors.
 */
import pg from 'pg';
import { UseLiteEmbedder } from '../src/embed/use-lite.ts';
import { benchArgs, benchCorpus, embedCached } from './lib/sentence-vectors.ts';
import { PostgresServer } from '../src/servers/postgres.ts';
import { ExactStore } from '../src/store/exact.ts';
import { createStore } from '../src/store/registry.ts';
import type { VectorStore } from '../src/store/types.ts';

const args = benchArgs();

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

const ms = (since: number): string => `${(performance.now() - since).toFixed(0)} ms`;

const { texts, questions } = await benchCorpus(args.golden, args.n);
const embedder = new UseLiteEmbedder();
const vectors = await embedCached(embedder, texts);
const queries = await embedCached(embedder, questions);
await embedder.close?.();
const d = embedder.dimensions;
const records = vectors.map((vector, i) => ({ id: `s${i}`, vector, metadata: { documentId: `doc${i % 50}`, sentence: i } }));
console.log(`${records.length} sentences (${d}-d USE-lite), ${queries.length} real questions`);

const truth = new ExactStore(d);
await truth.upsert(records);
const exactTop = await Promise.all(queries.map(async (q) => new Set((await truth.query(q, 10)).map((h) => h.id))));

async function measureQueries(store: VectorStore, label: string): Promise<void> {
  const times: number[] = [];
  let found = 0;
  for (const [i, q] of queries.entries()) {
    const t = performance.now();
    const hits = await store.query(q, 10);
    times.push(performance.now() - t);
    found += hits.filter((h) => exactTop[i]?.has(h.id)).length;
  }
  times.sort((a, b) => a - b);
  console.log(
    `${label}: query k=10 median ${percentile(times, 0.5).toFixed(2)} ms, p95 ${percentile(times, 0.95).toFixed(2)} ms, p99 ${percentile(times, 0.99).toFixed(2)} ms; recall@10 vs exact ${(found / (10 * queries.length)).toFixed(4)}`,
  );
}

const server = await PostgresServer.create();
try {
  let t = performance.now();
  await server.start();
  console.log(`initdb + start + CREATE DATABASE/EXTENSION: ${ms(t)}`);
  const batchSize = args.batch;

  const bulk = await createStore('pgvector', d, { url: server.url, table: 'bulk', batchSize });
  t = performance.now();
  await bulk.upsert(records);
  let seconds = (performance.now() - t) / 1000;
  console.log(`upsert into an empty table (bulk load: insert, then build HNSW): ${(records.length / seconds).toFixed(0)} rows/s (${seconds.toFixed(2)} s, batches of ${batchSize})`);
  t = performance.now();
  await bulk.upsert(records.slice(0, 500));
  console.log(`re-upsert of 500 existing rows (row by row into the index): ${(500 / ((performance.now() - t) / 1000)).toFixed(0)} rows/s`);

  const rows = await createStore('pgvector', d, { url: server.url, table: 'row_by_row', batchSize, bulkLoadRows: 1e9 });
  t = performance.now();
  await rows.upsert(records);
  seconds = (performance.now() - t) / 1000;
  console.log(`upsert with the HNSW index in place (row by row into the graph): ${(records.length / seconds).toFixed(0)} rows/s (${seconds.toFixed(2)} s)`);
  await rows.close();

  const client = new pg.Client({ connectionString: server.url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  await client.query('CREATE TABLE plain (LIKE bulk INCLUDING DEFAULTS)');
  t = performance.now();
  await client.query('INSERT INTO plain SELECT * FROM bulk');
  console.log(`INSERT … SELECT of ${records.length} rows, no vector index: ${ms(t)}`);
  await client.query(`SET maintenance_work_mem = '256MB'`);
  t = performance.now();
  await client.query('CREATE INDEX ON plain USING hnsw (embedding vector_ip_ops) WITH (m = 16, ef_construction = 64)');
  console.log(`HNSW build (m 16, ef_construction 64) on ${records.length} x ${d}: ${ms(t)}`);
  await client.end();

  for (const efSearch of [40, 100, 200]) {
    const store = await createStore('pgvector', d, { url: server.url, table: 'bulk', efSearch });
    await measureQueries(store, `efSearch ${efSearch}`);
    await store.close();
  }

  t = performance.now();
  const ids = await bulk.listIds();
  console.log(`listIds: ${ids.length} in ${ms(t)}`);
  t = performance.now();
  const got = await bulk.get(ids.slice(0, 1000));
  console.log(`get 1000 (vectors + metadata): ${ms(t)} (${got.length})`);
  t = performance.now();
  const deleted = await bulk.deleteByDocument('doc7');
  console.log(`deleteByDocument: ${deleted} rows in ${ms(t)}`);
  await bulk.close();

  t = performance.now();
  await server.kill();
  console.log(`kill (SIGKILL, process group gone): ${ms(t)}`);
  t = performance.now();
  await server.restart();
  console.log(`restart after the kill (crash recovery): ${ms(t)}`);
  t = performance.now();
  await server.stop();
  console.log(`stop (fast shutdown): ${ms(t)}`);
} finally {
  await server.dispose();
}
