import pg from 'pg';
import { DEFAULT_PGVECTOR_PORT, pgvectorOptions } from '../store/pgvector.ts';
import { createHnswIndexStatement, dropHnswIndexStatement, hnswBuildPlan } from '../store/pgvector-sql.ts';
import type { StoreSpec } from './spec.ts';

/**
 * A bulk load into pgvector runs faster with the HNSW index built once at the end than
 * maintained row by row (bench/migration.ts measures both). The migration drops the index
 * before copying and builds it after; until then queries scan the table (right answers, slower).
 * A migration killed in between leaves the table without its index: the resumed run builds it.
 */
export interface TargetIndex {
  /** Store options that keep the store from managing the index itself during the load. */
  readonly storeOptions: Record<string, unknown>;
  drop(): Promise<void>;
  /** Builds the index over `rows` vectors of `dimensions` (no-op when it exists); returns seconds spent. */
  build(rows: number, dimensions: number): Promise<number>;
}

export function clientConfig(o: ReturnType<typeof pgvectorOptions.parse>): pg.ClientConfig {
  const base = { connectionTimeoutMillis: o.connectTimeoutMs, application_name: 'ragbench-migrate' };
  if (o.url !== undefined) return { ...base, connectionString: o.url };
  return {
    ...base,
    host: o.host ?? '127.0.0.1',
    port: o.port ?? DEFAULT_PGVECTOR_PORT,
    database: o.database ?? 'ragbench',
    user: o.user ?? 'postgres',
    ...(o.password !== undefined && { password: o.password }),
  };
}

export function pgvectorTargetIndex(spec: StoreSpec): TargetIndex | undefined {
  if (spec.name !== 'pgvector') return undefined;
  const o = pgvectorOptions.parse(spec.options);
  const run = async (work: (client: pg.Client) => Promise<void>): Promise<void> => {
    const client = new pg.Client(clientConfig(o));
    client.on('error', () => {}); // a connection lost mid-statement: the statement reports it
    await client.connect();
    try {
      await work(client);
    } finally {
      await client.end().catch(() => {});
    }
  };
  return {
    // The store drops and rebuilds the index itself for a big first upsert; here the migration does it once.
    storeOptions: { bulkLoadRows: Number.MAX_SAFE_INTEGER },
    drop: () => run(async (client) => void (await client.query({ text: dropHnswIndexStatement(o.table), query_timeout: o.timeoutMs } as pg.QueryConfig))),
    async build(rows, dimensions) {
      const started = performance.now();
      const plan = hnswBuildPlan(rows, dimensions, o);
      await run(async (client) => {
        await client.query('BEGIN');
        await client.query(plan.settings);
        await client.query({ text: createHnswIndexStatement(o.table, o), query_timeout: plan.timeoutMs + 2_000 } as pg.QueryConfig);
        await client.query('COMMIT');
      });
      return (performance.now() - started) / 1000;
    },
  };
}
