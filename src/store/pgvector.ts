import pg from 'pg';
import { z } from 'zod';
import { InputError } from '../util/errors.ts';
import { PGVECTOR_SETUP_HINT } from '../servers/postgres-binaries.ts';
import { describePgError, PgvectorError } from './pgvector-errors.ts';
import {
  countStatement,
  createHnswIndexStatement,
  createTableStatements,
  deleteByDocumentStatement,
  deleteStatement,
  dropHnswIndexStatement,
  EMBEDDING_TYPE,
  getStatement,
  hnswBuildPlan,
  IDENTIFIER,
  listIdsStatement,
  parseVector,
  queryStatement,
  upsertStatement,
  vectorLiteral,
} from './pgvector-sql.ts';
import type { ChunkMetadata, StoreDefinition, VectorHit, VectorRecord, VectorStore } from './types.ts';
import { assertDimensions, assertValidDimensions, assertValidK, closedError, parseStoreOptions, prepareUpsert } from './util.ts';

const STORE_ID = 'pgvector';
/** Where scripts/postgres-server.mjs starts its server by default: the store finds it with no options. */
export const DEFAULT_PGVECTOR_PORT = 55432;
/** pgvector indexes `vector` columns of up to 2,000 dimensions with HNSW. */
const MAX_HNSW_DIMENSIONS = 2000;

export const pgvectorOptions = z
  .strictObject({
    /** postgres://user[:password]@host:port/database; excludes host/port/database/user/password. */
    url: z.string().regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://').optional(),
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65535).optional(),
    database: z.string().min(1).optional(),
    user: z.string().min(1).optional(),
    password: z.string().optional(),
    /** One table per store: several stores (and tests) share a database without colliding. */
    table: z.string().regex(IDENTIFIER, `must match ${String(IDENTIFIER)}`).default('enhanced_vectors'),
    /**
     * HNSW candidate list at query time (hnsw.ef_search, max 1000). 100 gives recall@10 of 0.99 on
     * 3,000 random 64-d unit vectors (the contract's hard case); pgvector's own default, 40, 0.93.
     */
    efSearch: z.number().int().min(1).max(1000).default(100),
    /** HNSW graph degree (pgvector's default). */
    m: z.number().int().min(2).max(100).default(16),
    /** HNSW build candidate list (pgvector's default). */
    efConstruction: z.number().int().min(4).max(1000).default(64),
    /**
     * An upsert of at least this many records, into a table holding no more than that, drops the
     * HNSW index and builds it again after the insert (one transaction: readers wait, nothing
     * is lost on failure). pgvector builds an index several times faster than it inserts into one.
     */
    bulkLoadRows: z.number().int().min(1).default(1000),
    /** maintenance_work_mem (MB) for HNSW builds; by default sized to the graph, up to 4 GB (the server must have it). */
    buildMemoryMb: z.number().int().min(64).optional(),
    /** Parallel maintenance workers besides the leader for HNSW builds: one keeps a 2-core server at two busy cores. */
    buildWorkers: z.number().int().min(0).max(64).default(1),
    /** Rows per INSERT statement. */
    batchSize: z.number().int().min(1).max(10_000).default(500),
    /** Connections in the pool. */
    poolSize: z.number().int().min(1).max(100).default(4),
    /** Bound on each statement: the server cancels it (statement_timeout) and the client gives up shortly after. */
    timeoutMs: z.number().int().positive().default(30_000),
    /** Bound on opening a connection. */
    connectTimeoutMs: z.number().int().positive().default(5_000),
  })
  .refine((o) => o.url === undefined || [o.host, o.port, o.database, o.user, o.password].every((v) => v === undefined), {
    message: 'give either url or host/port/database/user/password, not both',
  });
export type PgvectorOptions = z.input<typeof pgvectorOptions>;
type Options = z.output<typeof pgvectorOptions>;

function connectionConfig(o: Options): { config: pg.PoolConfig; address: string } {
  if (o.url !== undefined) {
    const url = new URL(o.url);
    return { config: { connectionString: o.url }, address: `${url.hostname}:${url.port || '5432'}` };
  }
  const host = o.host ?? '127.0.0.1';
  const port = o.port ?? DEFAULT_PGVECTOR_PORT;
  return {
    config: {
      host,
      port,
      database: o.database ?? 'ragbench',
      user: o.user ?? 'postgres',
      ...(o.password !== undefined && { password: o.password }),
    },
    address: `${host}:${port}`,
  };
}

/** The migration plan's extra columns, filled from metadata when it carries them. */
function chunkIdOf(r: VectorRecord): string {
  const chunkId = r.metadata?.chunkId;
  return typeof chunkId === 'string' ? chunkId : r.id;
}

function numberOf(metadata: ChunkMetadata | undefined, key: string): number | null {
  const value = metadata?.[key];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * Vectors in PostgreSQL with pgvector, in the migration plan's `enhanced_vectors` table (its name
 * configurable), searched through an HNSW index on inner product: vectors arrive L2-normalised,
 * so the score is the cosine, as in every other store.
 */
export class PgvectorStore implements VectorStore {
  readonly id = STORE_ID;
  private pool: pg.Pool | undefined;

  private constructor(
    readonly dimensions: number,
    readonly table: string,
    /** host:port, for error messages. */
    readonly address: string,
    private readonly options: Options,
    pool: pg.Pool,
  ) {
    this.pool = pool;
  }

  /** Connects, then creates the extension, table and indexes when missing; an existing table must hold this dimensionality. */
  static async open(dimensions: number, options: PgvectorOptions = {}): Promise<PgvectorStore> {
    assertValidDimensions(STORE_ID, dimensions);
    const o = parseStoreOptions(STORE_ID, pgvectorOptions, options);
    if (dimensions > MAX_HNSW_DIMENSIONS) {
      throw new InputError(`${STORE_ID}: HNSW indexes vectors of up to ${MAX_HNSW_DIMENSIONS} dimensions, the embedder gives ${dimensions}`);
    }
    const { config, address } = connectionConfig(o);
    const pool = new pg.Pool({
      ...config,
      max: o.poolSize,
      connectionTimeoutMillis: o.connectTimeoutMs,
      idleTimeoutMillis: 10_000,
      statement_timeout: o.timeoutMs,
      query_timeout: o.timeoutMs + 2_000,
      application_name: 'ragbench',
      // Session settings at connect (extension settings are accepted before the library loads).
      // strict_order: when k exceeds ef_search, the scan goes on instead of returning fewer rows.
      options: `-c hnsw.ef_search=${o.efSearch} -c hnsw.iterative_scan=strict_order`,
    });
    pool.on('error', () => {}); // an idle connection lost (server killed): the next statement reports it
    const store = new PgvectorStore(dimensions, o.table, address, o, pool);
    try {
      await store.createSchema();
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
    return store;
  }

  private open(): pg.Pool {
    if (!this.pool) throw closedError(this.id);
    return this.pool;
  }

  private fail(error: unknown): Error {
    return describePgError(error, this.address, this.options.timeoutMs);
  }

  /** One statement on a pooled connection, driver errors worded for the user. */
  private async sql<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
    const pool = this.open();
    try {
      return await pool.query<R>(text, values);
    } catch (error) {
      throw this.fail(error);
    }
  }

  /** Statements in one transaction on one connection: all of them or none. */
  private async transaction(work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    const pool = this.open();
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (error) {
      throw this.fail(error);
    }
    // The pool listens for errors of idle connections only: a server lost between two
    // statements of ours would otherwise raise an unhandled 'error' event.
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      await client.query('ROLLBACK').catch(() => {});
      throw this.fail(error);
    } finally {
      client.off('error', onError);
      client.release(broken); // a failed connection is discarded, not reused
    }
  }

  private async createSchema(): Promise<void> {
    await this.transaction(async (client) => {
      // Stores opening at once (the extension, the same table): one at a time, the others wait, then find them made.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', ['ragbench:pgvector:schema']);
      try {
        await client.query('CREATE EXTENSION IF NOT EXISTS vector');
      } catch (error) {
        const code = (error as { code?: string }).code;
        if (code === '0A000' || code === '58P01') {
          throw new PgvectorError(
            `${STORE_ID} at ${this.address}: the vector extension is not installed in this PostgreSQL (${(error as Error).message}): install it with ${PGVECTOR_SETUP_HINT}`,
            { cause: error },
          );
        }
        throw error;
      }
      const existing = await client.query<{ type: string }>(EMBEDDING_TYPE, [this.table]);
      const type = existing.rows[0]?.type;
      if (type !== undefined && type !== `vector(${this.dimensions})`) {
        throw new PgvectorError(
          `${STORE_ID} at ${this.address}: table ${this.table} holds ${type} embeddings, this store was asked for ${this.dimensions} dimensions: ` +
            `use another table (option table) or drop it`,
        );
      }
      for (const statement of createTableStatements(this.table, this.dimensions, this.options)) await client.query(statement);
    });
  }

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    this.open();
    const fresh = prepareUpsert(this, records); // every vector checked before anything is written
    for (const r of fresh) {
      if (!r.vector.every(Number.isFinite)) throw new Error(`${this.id}: vector of "${r.id}" holds NaN or Infinity; nothing was written`);
    }
    if (fresh.length === 0) return;
    const statement = upsertStatement(this.table);
    await this.transaction(async (client) => {
      // count(*) scans the table: asked only when the upsert is big enough to be a bulk load.
      const held = fresh.length >= this.options.bulkLoadRows ? await this.countOn(client) : Number.POSITIVE_INFINITY;
      const bulk = fresh.length >= held;
      if (bulk) await client.query(dropHnswIndexStatement(this.table));
      for (let start = 0; start < fresh.length; start += this.options.batchSize) {
        const batch = fresh.slice(start, start + this.options.batchSize);
        await client.query(statement, [
          batch.map((r) => r.id),
          batch.map((r) => r.metadata?.documentId ?? ''),
          batch.map(chunkIdOf),
          batch.map((r) => vectorLiteral(r.vector)),
          batch.map((r) => JSON.stringify(r.metadata ?? {})),
          batch.map((r) => numberOf(r.metadata, 'accuracyScore')),
          batch.map((r) => numberOf(r.metadata, 'consensusWeight')),
        ]);
      }
      if (bulk) {
        const plan = hnswBuildPlan(held + fresh.length, this.dimensions, this.options); // at most: some ids may be updates
        await client.query(plan.settings);
        const build = { text: createHnswIndexStatement(this.table, this.options), query_timeout: plan.timeoutMs + 2_000 };
        await client.query(build as pg.QueryConfig); // @types/pg lacks the per-query query_timeout pg honours
      }
    });
  }

  private async countOn(client: pg.PoolClient): Promise<number> {
    const { rows } = await client.query<{ n: number }>(countStatement(this.table));
    return rows[0]?.n ?? 0;
  }

  async query(vector: Float32Array, k: number): Promise<VectorHit[]> {
    this.open();
    assertDimensions(this, vector);
    assertValidK(this.id, k);
    if (k === 0) return [];
    const { rows } = await this.sql<{ id: string; score: number }>(queryStatement(this.table), [vectorLiteral(vector), k]);
    return rows.map((r) => ({ id: r.id, score: Number(r.score) }));
  }

  async delete(ids: readonly string[]): Promise<void> {
    this.open();
    if (ids.length > 0) await this.sql(deleteStatement(this.table), [ids]);
  }

  async count(): Promise<number> {
    const { rows } = await this.sql<{ n: number }>(countStatement(this.table));
    return rows[0]?.n ?? 0;
  }

  async get(ids: readonly string[]): Promise<VectorRecord[]> {
    this.open();
    if (ids.length === 0) return [];
    const { rows } = await this.sql<{ id: string; embedding: string; metadata: Partial<ChunkMetadata> }>(getStatement(this.table), [ids]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    const found: VectorRecord[] = [];
    for (const id of ids) {
      const row = byId.get(id);
      if (!row) continue;
      const metadata = row.metadata;
      // A record upserted without metadata is stored with {}: give it back without.
      found.push({ id, vector: parseVector(row.embedding), ...(typeof metadata.documentId === 'string' && { metadata: metadata as ChunkMetadata }) });
    }
    return found;
  }

  async listIds(): Promise<string[]> {
    const { rows } = await this.sql<{ id: string }>(listIdsStatement(this.table));
    return rows.map((r) => r.id);
  }

  async deleteByDocument(documentId: string): Promise<number> {
    const result = await this.sql(deleteByDocumentStatement(this.table), [documentId]);
    return result.rowCount ?? 0;
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.end();
  }
}

export const pgvector: StoreDefinition = {
  name: STORE_ID,
  options: pgvectorOptions,
  async create(dimensions, options) {
    return PgvectorStore.open(dimensions, parseStoreOptions(STORE_ID, pgvectorOptions, options));
  },
};
