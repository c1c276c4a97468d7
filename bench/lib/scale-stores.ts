/**
 * A store under test at scale, with what the benchmark reads about it besides answers: its
 * memory (the benchmark process's RSS for in-process stores, the server's for Chroma and
 * PostgreSQL) and its size on disk. Servers are started here, on loopback, and stopped by close().
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ChromaServer } from '../../src/servers/chroma.ts';
import { PostgresServer } from '../../src/servers/postgres.ts';
import { pgvectorTargetIndex } from '../../src/migrate/pgvector-index.ts';
import { createStore } from '../../src/store/registry.ts';
import type { VectorStore } from '../../src/store/types.ts';
import { dirSize } from './dir-size.ts';
import { processRss, processTree, totalPss } from './proc-memory.ts';

export const SCALE_STORES = ['exact', 'faiss-flat', 'faiss-hnsw', 'hnswlib', 'chroma', 'pgvector'] as const;
export type ScaleStoreName = (typeof SCALE_STORES)[number];

export interface MemoryReading {
  /** What was measured: this process's RSS, one server process's RSS, or the PSS of a server's process tree. */
  kind: 'process-rss' | 'server-rss' | 'server-group-pss';
  bytes: number;
}

export interface DiskReading {
  bytes: number;
  /** What the bytes are, e.g. "store folder (records + vectors + index.faiss)". */
  what: string;
  /** Extra figures, e.g. the HNSW index alone. */
  parts?: Record<string, number>;
}

export interface StoreUnderTest {
  store: VectorStore;
  /** Records per upsert call: sized so a budget check between calls comes often. */
  upsertBatch: number;
  /** How the store is loaded, when it is not simply upsert by upsert. */
  loading?: string;
  /** Work a bulk load leaves for after its last upsert (pgvector's one index build); part of the build time. */
  finishLoad?(rows: number): Promise<void>;
  memory(): MemoryReading;
  /** Saves what a persistent store saves and measures it; undefined: the store keeps nothing on disk. */
  disk(): Promise<DiskReading | undefined>;
  close(): Promise<void>;
}

const rssNow = (): MemoryReading => ({ kind: 'process-rss', bytes: process.memoryUsage.rss() });

async function inProcess(name: 'exact' | 'hnswlib' | 'faiss-flat' | 'faiss-hnsw', dimensions: number): Promise<StoreUnderTest> {
  const persistent = name === 'faiss-flat' || name === 'faiss-hnsw';
  const dir = persistent ? mkdtempSync(join(tmpdir(), `ragbench-scale-${name}-`)) : undefined;
  const store = await createStore(name, dimensions, dir ? { dir } : {});
  return {
    store,
    upsertBatch: 10_000,
    memory: rssNow,
    async disk() {
      if (!dir) return undefined;
      await (store as VectorStore & { flush(): Promise<void> }).flush();
      return { bytes: dirSize(dir), what: 'store folder: index.faiss + vectors.f32 + records.jsonl + labels.json' };
    },
    async close() {
      await store.close().catch(() => undefined); // close() saves again: nothing changed since disk()
      if (dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function chroma(dimensions: number): Promise<StoreUnderTest> {
  const server = await ChromaServer.create();
  await server.start();
  const store = await createStore('chroma', dimensions, { url: server.url, collection: 'scale', reset: true, timeoutMs: 300_000 });
  return {
    store,
    upsertBatch: 5_000,
    memory() {
      const pid = server.pid;
      return { kind: 'server-rss', bytes: pid === undefined ? Number.NaN : (processRss(pid)?.rssBytes ?? Number.NaN) };
    },
    async disk() {
      return { bytes: dirSize(server.dataDir), what: 'server data folder (SQLite + HNSW segment files)' };
    },
    async close() {
      await store.close().catch(() => undefined);
      await server.stop().catch(() => server.kill());
      rmSync(server.dataDir, { recursive: true, force: true });
    },
  };
}

async function pgvector(dimensions: number): Promise<StoreUnderTest> {
  const server = await PostgresServer.create();
  await server.start();
  // As the migration loads pgvector (and pgvector's docs advise): rows first, the HNSW index once at the end.
  const index = pgvectorTargetIndex({ name: 'pgvector', options: { url: server.url, table: 'scale' } });
  if (!index) throw new Error('pgvector: no target index');
  const store = await createStore('pgvector', dimensions, { url: server.url, table: 'scale', ...index.storeOptions });
  await index.drop();
  return {
    store,
    upsertBatch: 10_000,
    loading: 'rows inserted with the HNSW index dropped, then the index built once (maintenance_work_mem sized to the graph, one parallel worker)',
    finishLoad: async (rows) => void (await index.build(rows, dimensions)),
    memory() {
      const pid = server.pid;
      return { kind: 'server-group-pss', bytes: pid === undefined ? Number.NaN : totalPss(processTree(pid)) };
    },
    async disk() {
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      try {
        await client.query('CHECKPOINT');
        const { rows } = await client.query<{ total: string; hnsw: string; heap: string }>(
          `SELECT pg_total_relation_size('scale') AS total, pg_relation_size('scale_embedding_hnsw') AS hnsw, pg_table_size('scale') AS heap`,
        );
        const row = rows[0];
        return {
          bytes: Number(row?.total),
          what: 'table with TOAST and indexes (pg_total_relation_size)',
          parts: { hnswIndex: Number(row?.hnsw), tableWithToast: Number(row?.heap), serverDataFolder: dirSize(server.dataDir) },
        };
      } finally {
        await client.end();
      }
    },
    async close() {
      await store.close().catch(() => undefined);
      await server.dispose();
    },
  };
}

export async function openStoreUnderTest(name: ScaleStoreName, dimensions: number): Promise<StoreUnderTest> {
  if (name === 'chroma') return chroma(dimensions);
  if (name === 'pgvector') return pgvector(dimensions);
  return inProcess(name, dimensions);
}
