import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { migrate, planMigration, rollbackMigration, validateOnly, type MigrateOptions } from '../../src/migrate/runner.ts';
import {
  connectionDroppedScenario,
  databaseKilledScenario,
  rowCorruptedScenario,
  runnerKilledScenario,
} from '../../src/migrate/scenarios.ts';
import { MigrationResultSchema, type MigrationResult } from '../../src/migrate/schema.ts';
import { describeSpec, parseStoreSpec } from '../../src/migrate/spec.ts';
import { createStore } from '../../src/store/registry.ts';
import type { VectorRecord, VectorStore } from '../../src/store/types.ts';
import { InputError } from '../../src/util/errors.ts';
import { usePostgres } from '../servers/postgres-fixture.ts';
import { useFaissSource } from './source.ts';

// A real PostgreSQL with pgvector started here, and a real FAISS index saved on disk by an ingest
// of three SQuAD articles: every migration below moves ~400 real chunks FAISS -> pgvector.
const server = usePostgres();
const source = useFaissSource();
let tables = 0;

function options(extra: Partial<MigrateOptions> = {}): MigrateOptions & { table: string } {
  const f = source();
  const table = `t${++tables}`;
  return {
    from: parseStoreSpec('--from', { name: 'faiss-flat', dir: f.sourceDir }),
    to: parseStoreSpec('--to', { name: 'pgvector', url: server().url, table }),
    stateDir: join(f.root, `state-${table}`),
    batchSize: 25,
    parallelism: 4,
    table,
    ...extra,
  };
}

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: server().url, connectionTimeoutMillis: 5_000, query_timeout: 30_000 });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function openSource(): Promise<VectorStore> {
  return createStore('faiss-flat', 512, { dir: source().sourceDir });
}

function expectZeroLoss(result: MigrationResult, chunks: number): void {
  expect(MigrationResultSchema.parse(result)).toEqual(result);
  expect(result.problems).toEqual([]);
  expect(result).toMatchObject({ ok: true, chunksSource: chunks, chunksTarget: chunks, missing: 0, mismatched: 0, duplicates: 0, orphans: 0, lostRecords: 0, checksumOk: true });
  expect(result.maxVectorDelta).toBeLessThanOrEqual(result.vectorEpsilon);
  expect(result.queryAgreement).toBeGreaterThanOrEqual(result.queryTolerance);
}

function ragbench(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['bin/ragbench.js', ...args], { timeout: 120_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe('migrate FAISS -> pgvector', () => {
  it('copies every chunk with its text, metadata and exact vector, builds the HNSW index after the load, and validates zero loss', async () => {
    const o = options();
    const result = await migrate(o);
    const { chunks } = source();
    expect(chunks).toBeGreaterThan(300);
    expectZeroLoss(result, chunks);
    expect(result).toMatchObject({ maxVectorDelta: 0, batches: Math.ceil(chunks / 25), batchSize: 25, parallelism: 4, resumed: 0, repaired: 0, reembedded: false, chunksCopied: chunks });
    expect(result.documents).toEqual({ checked: 3, differing: [] });
    const src = await openSource();
    const [one] = await src.get([(await src.listIds()).sort()[7] as string]);
    await src.close();
    await withClient(async (client) => {
      const row = await client.query(`SELECT document_id, metadata FROM ${o.table} WHERE id = $1`, [one?.id]);
      expect(typeof one?.metadata?.text).toBe('string');
      expect(row.rows[0]?.metadata).toEqual(one?.metadata);
      expect(row.rows[0]?.document_id).toBe(one?.metadata?.documentId);
      const indexes = await client.query(`SELECT indexdef FROM pg_indexes WHERE tablename = $1`, [o.table]);
      expect(indexes.rows.some((r) => /USING hnsw/.test(r.indexdef as string))).toBe(true);
    });
  });

  it('--dry-run counts what would move per document and batch, and copies nothing', async () => {
    const o = options({ batchSize: 100 });
    const plan = await planMigration(o);
    const { chunks } = source();
    expect(plan).toMatchObject({ chunks, batchSize: 100, batches: Math.ceil(chunks / 100), finishedBatches: 0, targetCount: 0, reembedWith: null });
    expect(Object.keys(plan.documents).sort()).toEqual(['1973_oil_crisis', 'Harvard_University', 'Normans']);
    expect(Object.values(plan.documents).reduce((a, b) => a + b, 0)).toBe(chunks);
    expect(existsSync(join(o.stateDir as string, 'plan.json'))).toBe(false);
  });

  it('backs up the target first; --rollback deletes what the migration wrote and restores what it overwrote', async () => {
    const o = options();
    const src = await openSource();
    const ids = (await src.listIds()).sort();
    const [a, b] = await src.get([ids[0] as string, ids[1] as string]);
    const target = await createStore('pgvector', 512, { url: server().url, table: o.table });
    // Prior state: two foreign records, and one record under a source id with other content.
    const prior: VectorRecord[] = [
      { id: 'prior-1', vector: (a as VectorRecord).vector, metadata: { documentId: 'old', text: 'kept' } },
      { id: 'prior-2', vector: (b as VectorRecord).vector, metadata: { documentId: 'old', text: 'kept too' } },
      { id: ids[2] as string, vector: (a as VectorRecord).vector, metadata: { documentId: 'old', text: 'overwritten by the migration' } },
    ];
    await target.upsert(prior);
    await target.close();
    await src.close();

    const result = await migrate(o);
    expectZeroLoss(result, source().chunks); // the prior foreign records are neither orphans nor counted
    const rollback = await rollbackMigration(o);
    expect(rollback).toMatchObject({ deleted: source().chunks, restored: 3, verified: true, targetCount: 3 });
    expect(existsSync(o.stateDir as string)).toBe(false);
    const after = await createStore('pgvector', 512, { url: server().url, table: o.table });
    expect((await after.listIds()).sort()).toEqual([ids[2], 'prior-1', 'prior-2'].sort());
    expect((await after.get([ids[2] as string]))[0]?.metadata).toEqual({ documentId: 'old', text: 'overwritten by the migration' });
    await after.close();
    await expect(rollbackMigration(o)).rejects.toThrow(/--rollback: no migration in .*nothing was written to roll back/);
  });

  it('(a) the runner SIGKILLed twice at seeded points resumes with no duplicates and no gaps', async () => {
    const o = options({ parallelism: 2, batchSize: 10 });
    const outcome = await runnerKilledScenario({ ...o, seed: 7 });
    expect(outcome.injected).toHaveLength(2);
    for (const line of outcome.injected) {
      const [, done, total] = /^kill \d: SIGKILL with (\d+) of (\d+) batches recorded/.exec(line) ?? [];
      expect(Number(done), line).toBeLessThan(Number(total)); // killed while copying
    }
    expectZeroLoss(outcome.result, source().chunks);
    expect(outcome.result.resumed).toBeGreaterThan(0);
    expect(outcome.result.resumed).toBeLessThan(outcome.result.batches);
    await expect(migrate({ ...o, batchSize: 50 })).rejects.toThrow(InputError);
  });

  it('(b) the target database SIGKILLed mid-batch and restarted: batches retry, zero loss', async () => {
    const outcome = await databaseKilledScenario({ ...options({ batchSize: 10, parallelism: 4 }), server: server(), seed: 3, downMs: 500 });
    expect(outcome.injected[0]).toMatch(/PostgreSQL SIGKILLed, down 500 ms, restarted, with \d+ of \d+ records copied/);
    // The batches after the kill met a dead server: they were retried (or, past the retries, the run was resumed).
    expect(outcome.result.retries > 0 || outcome.injected.length === 2).toBe(true);
    expectZeroLoss(outcome.result, source().chunks);
  });

  it('(c) a row corrupted after the migration is reported by id, and migrating again repairs it', async () => {
    for (const field of ['text', 'vector'] as const) {
      const outcome = await rowCorruptedScenario({ ...options(), field, seed: field === 'text' ? 5 : 6 });
      const id = /of row (\S+) changed/.exec(outcome.injected[0] as string)?.[1];
      expect(outcome.detected).toMatchObject({ ok: false, mismatched: 1, lostRecords: 1, missing: 0, checksumOk: field !== 'text' });
      expect(outcome.detected?.examples.mismatched).toEqual([id]);
      expect(outcome.detected?.problems.join(' ')).toContain(id);
      if (field === 'vector') expect(outcome.detected?.maxVectorDelta).toBeCloseTo(0.01, 5);
      expectZeroLoss(outcome.result, source().chunks);
      expect(outcome.result).toMatchObject({ repaired: 1, chunksCopied: 0, resumed: outcome.result.batches });
    }
  });

  it('(d) the migration\'s connections terminated mid-migration: retried, zero loss', async () => {
    const outcome = await connectionDroppedScenario({ ...options({ batchSize: 10, parallelism: 4 }), seed: 4 });
    expect(outcome.injected[0]).toMatch(/^[1-9]\d* migration connection\(s\) terminated in 3 rounds/);
    expectZeroLoss(outcome.result, source().chunks);
  });

  it('re-embeds from the stored text when the source vectors come from another model, and copies when they do not', async () => {
    // "Another model": the source's vectors with their coordinates reversed (still unit vectors, another space).
    const f = source();
    const src = await openSource();
    const records = await src.get(await src.listIds());
    const foreignDir = join(f.root, 'foreign-model');
    const foreign = await createStore('faiss-flat', 512, { dir: foreignDir });
    await foreign.upsert(records.map((r) => ({ ...r, vector: Float32Array.from(r.vector).reverse() })));
    await foreign.close();
    await src.close();

    const o = { ...options({ embedder: 'use-lite' }), from: parseStoreSpec('--from', { name: 'faiss-flat', dir: foreignDir }) };
    const result = await migrate(o);
    expectZeroLoss(result, f.chunks);
    expect(result).toMatchObject({ reembedded: true, embedder: 'use-lite' });
    // Re-embedding the text gives back the original ingest's vectors.
    const target = await createStore('pgvector', 512, { url: server().url, table: o.table });
    const back = await target.get(records.slice(0, 20).map((r) => r.id));
    await target.close();
    back.forEach((r, i) => {
      const want = (records[i] as VectorRecord).vector;
      expect(Math.max(...r.vector.map((x, j) => Math.abs(x - (want[j] as number))))).toBeLessThan(1e-5);
    });
    const copied = await migrate(options({ embedder: 'use-lite' }));
    expect(copied).toMatchObject({ ok: true, reembedded: false, embedder: null, maxVectorDelta: 0 });
  });

  it('the CLI: --validate-only exits 1 naming a lost record, 0 once repaired; a spec it cannot use exits 2 naming the fix', async () => {
    const o = options();
    await migrate(o);
    const gone = (await withClient((c) => c.query<{ id: string }>(`DELETE FROM ${o.table} WHERE id = (SELECT min(id) FROM ${o.table}) RETURNING id`))).rows[0]?.id as string;
    const args = ['migrate', '--from', describeSpec(o.from), '--to', describeSpec(o.to), '--state', o.stateDir as string];
    const check = await ragbench([...args, '--validate-only']);
    expect(check.code, check.stderr).toBe(1);
    expect(check.stdout).toContain('LOSS FOUND');
    expect(check.stdout).toContain(`1 source record(s) missing from the target: ${gone}`);
    const repair = await ragbench([...args, '--json']);
    expect(repair.code, repair.stderr).toBe(0);
    expect(MigrationResultSchema.parse(JSON.parse(repair.stdout))).toMatchObject({ ok: true, repaired: 1, lostRecords: 0 });
    expect((await validateOnly(o)).ok).toBe(true);

    const bad = await ragbench(['migrate', '--from', `{name: pgvector, url: "${server().url}"}`, '--to', 'exact']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--from: give the vectors' size, e\.g\. '\{name: pgvector, dimensions: 512/);
    const empty = await ragbench(['migrate', '--from', `{name: faiss-flat, dir: ${join(source().root, 'nothing-here')}}`, '--to', 'exact']);
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/--from: nothing is saved in .*nothing-here: ingest into it first/);
  });
});
