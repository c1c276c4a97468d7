import { createServer, type AddressInfo, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresServer } from '../../src/servers/postgres.ts';
import { freePort } from '../../src/servers/port.ts';
import { PgvectorStore } from '../../src/store/pgvector.ts';
import { createStore } from '../../src/store/registry.ts';
import type { VectorRecord, VectorStore } from '../../src/store/types.ts';
import { InputError } from '../../src/util/errors.ts';
import { describeStoreContract } from './contract.ts';
import { embedFixture, randomUnitVectors } from './data.ts';
import { usePostgres } from '../servers/postgres-fixture.ts';

// A real PostgreSQL with pgvector, started here. Where it is not installed, start() fails with
// the message naming scripts/setup-pgvector.sh: these tests fail then, they never skip.
const real = await embedFixture();
const running = usePostgres();
const url = (): string => running().url;

// Each contract store gets a table of its own; reopen opens the last one again.
let tables = 0;
describeStoreContract(
  {
    name: 'pgvector',
    create: (d) => createStore('pgvector', d, { url: url(), table: `contract_${++tables}` }),
    reopen: (d) => createStore('pgvector', d, { url: url(), table: `contract_${tables}` }),
    unreachable: {
      create: async (d) => createStore('pgvector', d, { host: '127.0.0.1', port: await freePort(), connectTimeoutMs: 2_000 }),
      message: /^pgvector at 127\.0\.0\.1:\d+ is not reachable \(.*ECONNREFUSED.*\): start one with node scripts\/postgres-server\.mjs start/,
    },
    // efSearch 100 (the default) measured 0.99-1.0 on the contract's random vectors.
    minRecall: 0.97,
  },
  real,
);

describe('pgvector store', () => {
  async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: url(), connectionTimeoutMillis: 5_000, query_timeout: 10_000 });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  }

  it('lays out the migration plan\'s table, with an HNSW index on inner product and an index on document_id', async () => {
    const store = await createStore('pgvector', real.dimensions, { url: url(), table: 'layout' });
    const [a, b] = real.sentences as [VectorRecord, VectorRecord];
    await store.upsert([
      { ...a, metadata: { documentId: 'Normans', chunkId: 'Normans#3', accuracyScore: 0.75, consensusWeight: 1, page: 2 } },
      { ...b, metadata: { documentId: 'Oxygen' } },
    ]);
    await store.close();
    await withClient(async (client) => {
      const columns = await client.query(
        `SELECT column_name, format_type(atttypid, atttypmod) AS type, is_nullable
         FROM information_schema.columns c JOIN pg_attribute a ON a.attrelid = 'layout'::regclass AND a.attname = c.column_name
         WHERE c.table_name = 'layout' ORDER BY c.ordinal_position`,
      );
      expect(columns.rows.map((r) => `${r.column_name} ${r.type} ${r.is_nullable === 'NO' ? 'not null' : 'null'}`)).toEqual([
        'id text not null',
        'document_id text not null',
        'chunk_id text null',
        `embedding vector(${real.dimensions}) not null`,
        'metadata jsonb not null',
        'accuracy_score real null',
        'consensus_weight real null',
        'created_at timestamp with time zone null',
      ]);
      const indexes = (await client.query(`SELECT indexdef FROM pg_indexes WHERE tablename = 'layout' ORDER BY indexname`)).rows.map(
        (r) => r.indexdef as string,
      );
      expect(indexes.some((d) => /USING hnsw \(embedding vector_ip_ops\) WITH \(m='?16'?, ef_construction='?64'?\)/.test(d))).toBe(true);
      expect(indexes.some((d) => /USING btree \(document_id\)/.test(d))).toBe(true);
      const rows = await client.query('SELECT id, document_id, chunk_id, accuracy_score, consensus_weight, created_at FROM layout ORDER BY document_id');
      expect(rows.rows.map((r) => [r.id, r.document_id, r.chunk_id, r.accuracy_score, r.consensus_weight])).toEqual([
        [a.id, 'Normans', 'Normans#3', 0.75, 1],
        [b.id, 'Oxygen', b.id, null, null],
      ]);
      expect(rows.rows[0]?.created_at).toBeInstanceOf(Date);
    });
  });

  it('refuses a table that holds another dimensionality, naming both', async () => {
    const store = await createStore('pgvector', 8, { url: url(), table: 'eight' });
    await store.close();
    await expect(createStore('pgvector', 16, { url: url(), table: 'eight' })).rejects.toThrow(
      /^pgvector at 127\.0\.0\.1:\d+: table eight holds vector\(8\) embeddings, this store was asked for 16 dimensions/,
    );
  });

  it('keeps ids, documents and metadata with quotes and SQL in them intact (every value is a parameter)', async () => {
    const store = await createStore('pgvector', real.dimensions, { url: url(), table: 'hostile' });
    const nasty = `x'); DROP TABLE hostile; --"\\`;
    const [a] = real.sentences as [VectorRecord];
    await store.upsert([{ id: nasty, vector: a.vector, metadata: { documentId: nasty, title: `'"{}[]\\` } }]);
    expect(await store.listIds()).toEqual([nasty]);
    expect((await store.get([nasty]))[0]?.metadata).toEqual({ documentId: nasty, title: `'"{}[]\\` });
    expect((await store.query(a.vector, 1))[0]?.id).toBe(nasty);
    expect(await store.deleteByDocument(nasty)).toBe(1);
    expect(await store.count()).toBe(0);
    await store.close();
  });

  it('writes an upsert of several batches in one transaction: a bad row in the last batch leaves nothing', async () => {
    const store = await createStore('pgvector', 4, { url: url(), table: 'atomic', batchSize: 2 });
    const good = randomUnitVectors(5, 4, 1).map((vector, i) => ({ id: `g${i}`, vector }));
    // jsonb refuses a NUL character: the server rejects the 3rd batch, after two were written.
    const bad = { id: 'nul', vector: good[0]?.vector as Float32Array, metadata: { documentId: 'd', text: 'a\u0000b' } };
    await expect(store.upsert([...good, bad])).rejects.toThrow(/^pgvector at 127\.0\.0\.1:\d+: 22P05: unsupported Unicode escape sequence/);
    expect(await store.count()).toBe(0);
    await expect(store.upsert([{ id: 'nan', vector: Float32Array.from([Number.NaN, 0, 0, 1]) }])).rejects.toThrow(
      'pgvector: vector of "nan" holds NaN or Infinity; nothing was written',
    );
    await store.upsert(good);
    expect(await store.count()).toBe(5);
    await store.close();
  });

  it('bulk loads (index rebuilt) and updates row by row give the same exact top 10 on real embeddings', async () => {
    const bulk = await createStore('pgvector', real.dimensions, { url: url(), table: 'bulk', bulkLoadRows: 10 });
    const rows = await createStore('pgvector', real.dimensions, { url: url(), table: 'row_by_row', bulkLoadRows: 1_000_000 });
    await bulk.upsert(real.sentences);
    for (const r of real.sentences) await rows.upsert([r]);
    for (const q of real.questions) {
      expect((await bulk.query(q, 10)).map((h) => h.id)).toEqual((await rows.query(q, 10)).map((h) => h.id));
    }
    await withClient(async (client) => {
      const n = await client.query(`SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'bulk' AND indexdef LIKE '%USING hnsw%'`);
      expect(n.rows[0]?.n).toBe(1);
    });
    await Promise.all([bulk.close(), rows.close()]);
  });

  it('returns k hits when k exceeds efSearch (the HNSW scan goes on: strict order)', async () => {
    const store = await createStore('pgvector', 16, { url: url(), table: 'iterative', efSearch: 10 });
    await store.upsert(randomUnitVectors(400, 16, 5).map((vector, i) => ({ id: `r${i}`, vector })));
    const hits = await store.query(randomUnitVectors(1, 16, 6)[0] as Float32Array, 150);
    expect(hits).toHaveLength(150);
    for (let i = 1; i < hits.length; i++) expect(hits[i - 1]?.score).toBeGreaterThanOrEqual(hits[i]?.score as number);
    await store.close();
  });

  it('rejects bad options with the store and field named, before connecting', async () => {
    const attempt = (options: Record<string, unknown>) => createStore('pgvector', 8, options);
    await expect(attempt({ tabel: 'x' })).rejects.toThrow(InputError);
    await expect(attempt({ table: 'Robert"; DROP TABLE x' })).rejects.toThrow(/pgvector options: table: must match/);
    await expect(attempt({ url: url(), port: 5432 })).rejects.toThrow(/give either url or host\/port/);
    await expect(attempt({ url: 'mysql://x' })).rejects.toThrow(/url: must start with postgres:\/\//);
    await expect(attempt({ efSearch: 5000 })).rejects.toThrow(/efSearch/);
    await expect(createStore('pgvector', 4096, { url: url() })).rejects.toThrow(/HNSW indexes vectors of up to 2000 dimensions, the embedder gives 4096/);
  });

  it('bounds connecting: a server that accepts but never answers fails within connectTimeoutMs, naming it', async () => {
    // A listener that takes the connection and says nothing, as a hung or overloaded server does.
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const started = performance.now();
      await expect(PgvectorStore.open(8, { port, connectTimeoutMs: 1_000 })).rejects.toThrow(
        new RegExp(`^pgvector at 127\\.0\\.0\\.1:${port} is not reachable \\(.*timeout.*\\): start one with node scripts/postgres-server\\.mjs start`),
      );
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('several stores share one database through their own tables', async () => {
    const stores: VectorStore[] = await Promise.all(
      ['share_a', 'share_b'].map((table) => createStore('pgvector', real.dimensions, { url: url(), table })),
    );
    const [a, b] = stores as [VectorStore, VectorStore];
    await a.upsert(real.sentences.slice(0, 3));
    await b.upsert(real.sentences.slice(3, 10));
    expect([await a.count(), await b.count()]).toEqual([3, 7]);
    await Promise.all(stores.map((s) => s.close()));
  });
});
