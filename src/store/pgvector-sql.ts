import pgvector from 'pgvector';

/**
 * The SQL of the pgvector store. Values always travel as parameters ($1…); only identifiers
 * (table, index, database names) and validated integers appear in the text, because PostgreSQL
 * takes no parameters there: identifiers must match IDENTIFIER and are double-quoted.
 */

/** Lower-case letters, digits and underscores, starting with a letter or underscore; at most 40 so derived index names fit PostgreSQL's 63. */
export const IDENTIFIER = /^[a-z_][a-z0-9_]{0,39}$/;

export function quoteIdentifier(name: string, what = 'identifier'): string {
  if (!IDENTIFIER.test(name)) {
    throw new Error(`${what} "${name}" is not a plain SQL name (${String(IDENTIFIER)})`);
  }
  return `"${name}"`;
}

function integer(value: number, what: string): string {
  if (!Number.isSafeInteger(value) || value <= 0) throw new Error(`${what} must be a positive integer, got ${String(value)}`);
  return String(value);
}

export interface HnswParameters {
  /** Graph degree (pgvector's default 16). */
  m: number;
  /** Candidate list while building (pgvector's default 64). */
  efConstruction: number;
}

function hnswIndexName(table: string): string {
  return quoteIdentifier(`${table}_embedding_hnsw`, 'index');
}

/** Inner product (`<#>`): vectors arrive L2-normalised, so it ranks as cosine does, without the norms. */
export function createHnswIndexStatement(table: string, hnsw: HnswParameters): string {
  return `CREATE INDEX IF NOT EXISTS ${hnswIndexName(table)} ON ${quoteIdentifier(table, 'table')}
      USING hnsw (embedding vector_ip_ops) WITH (m = ${integer(hnsw.m, 'm')}, ef_construction = ${integer(hnsw.efConstruction, 'efConstruction')})`;
}

/** Index builds get at most this much memory unless the store's buildMemoryMb says otherwise. */
export const DEFAULT_BUILD_MEMORY_CAP_MB = 4096;

/**
 * Memory pgvector's HNSW build needs to keep the graph over `rows` vectors in maintenance_work_mem:
 * it builds fast while the graph fits and several times slower once it does not (it says so in a
 * NOTICE). An element holds its vector (4 bytes a dimension + 8), its layer-0 neighbour list (2m
 * entries of 16 bytes) and ~100 bytes of bookkeeping; a quarter more leaves room for the upper layers.
 */
export function hnswGraphBytes(rows: number, dimensions: number, m: number): number {
  return Math.ceil(1.25 * rows * (4 * dimensions + 8 + 2 * m * 16 + 100));
}

/** maintenance_work_mem for a build: the graph's size, at least 256 MB, at most `capMb`. */
export function hnswBuildMemoryMb(rows: number, dimensions: number, m: number, capMb = DEFAULT_BUILD_MEMORY_CAP_MB): number {
  return Math.max(256, Math.min(capMb, Math.ceil(hnswGraphBytes(rows, dimensions, m) / 2 ** 20)));
}

export interface HnswBuildPlan {
  /** set_config calls for the build's transaction (SET LOCAL: they end with it). */
  settings: { text: string; values: string[] };
  /** statement_timeout of the build: bounded by the table's size, not by the store's timeoutMs. */
  timeoutMs: number;
}

/**
 * Session settings for one index build: memory for the graph, a time bound of ~5 ms a row past
 * the usual statement bound (builds ran at 0.3–1 ms a row on 2 cores at 512-d), and `buildWorkers`
 * parallel maintenance workers besides the leader.
 */
export function hnswBuildPlan(rows: number, dimensions: number, o: { m: number; timeoutMs: number; buildMemoryMb?: number | undefined; buildWorkers: number }): HnswBuildPlan {
  const memoryMb = o.buildMemoryMb ?? hnswBuildMemoryMb(rows, dimensions, o.m);
  const timeoutMs = o.timeoutMs + 5 * rows;
  return {
    settings: {
      text: `SELECT set_config('maintenance_work_mem', $1, true), set_config('statement_timeout', $2, true),
                    set_config('max_parallel_maintenance_workers', $3, true)`,
      values: [`${memoryMb}MB`, String(timeoutMs), String(o.buildWorkers)],
    },
    timeoutMs,
  };
}

export function dropHnswIndexStatement(table: string): string {
  return `DROP INDEX IF EXISTS ${hnswIndexName(table)}`;
}

/** The table of the migration plan, its HNSW index and its document index. */
export function createTableStatements(table: string, dimensions: number, hnsw: HnswParameters): string[] {
  const t = quoteIdentifier(table, 'table');
  return [
    `CREATE TABLE IF NOT EXISTS ${t} (
      id text PRIMARY KEY,
      document_id text NOT NULL,
      chunk_id text,
      embedding vector(${integer(dimensions, 'dimensions')}) NOT NULL,
      metadata jsonb NOT NULL,
      accuracy_score real,
      consensus_weight real,
      created_at timestamptz DEFAULT now()
    )`,
    createHnswIndexStatement(table, hnsw),
    `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${table}_document_id`, 'index')} ON ${t} (document_id)`,
  ];
}

/** The declared type of the table's embedding column ("vector(512)"), or no row when the table does not exist. */
export const EMBEDDING_TYPE = `SELECT format_type(a.atttypid, a.atttypmod) AS type
  FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attname = 'embedding' AND NOT a.attisdropped`;

/**
 * One statement per batch whatever its size: the columns travel as seven arrays and unnest
 * turns them back into rows, so the statement text (and its plan) is the same for every batch.
 */
export function upsertStatement(table: string): string {
  const t = quoteIdentifier(table, 'table');
  return `INSERT INTO ${t} (id, document_id, chunk_id, embedding, metadata, accuracy_score, consensus_weight)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::vector[], $5::jsonb[], $6::real[], $7::real[])
    ON CONFLICT (id) DO UPDATE SET
      document_id = EXCLUDED.document_id, chunk_id = EXCLUDED.chunk_id, embedding = EXCLUDED.embedding,
      metadata = EXCLUDED.metadata, accuracy_score = EXCLUDED.accuracy_score, consensus_weight = EXCLUDED.consensus_weight`;
}

/** Nearest by inner product, best first; `<#>` is the negative inner product, so the score flips its sign. */
export function queryStatement(table: string): string {
  return `SELECT id, -(embedding <#> $1::vector) AS score FROM ${quoteIdentifier(table, 'table')}
    ORDER BY embedding <#> $1::vector LIMIT $2`;
}

export function getStatement(table: string): string {
  return `SELECT id, embedding::text AS embedding, metadata FROM ${quoteIdentifier(table, 'table')} WHERE id = ANY($1::text[])`;
}

export function deleteStatement(table: string): string {
  return `DELETE FROM ${quoteIdentifier(table, 'table')} WHERE id = ANY($1::text[])`;
}

export function deleteByDocumentStatement(table: string): string {
  return `DELETE FROM ${quoteIdentifier(table, 'table')} WHERE document_id = $1`;
}

export function countStatement(table: string): string {
  return `SELECT count(*)::int AS n FROM ${quoteIdentifier(table, 'table')}`;
}

export function listIdsStatement(table: string): string {
  return `SELECT id FROM ${quoteIdentifier(table, 'table')}`;
}

/** pgvector's text form of a vector ("[0.1,0.2]"): what $n::vector parses. Float32 values print exactly. */
export function vectorLiteral(vector: Float32Array): string {
  return pgvector.toSql(Array.from(vector)) as string;
}

/** Parses pgvector's text output back into a vector. */
export function parseVector(text: string): Float32Array {
  return Float32Array.from(pgvector.fromSql(text) as number[]);
}
