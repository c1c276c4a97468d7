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
