import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { seededRandom } from '../stats/random.ts';
import type { ManagedServer } from '../servers/types.ts';
import { pgvectorOptions } from '../store/pgvector.ts';
import { parseVector, quoteIdentifier, vectorLiteral } from '../store/pgvector-sql.ts';
import { clientConfig } from './pgvector-index.ts';
import { defaultStateDir, migrate, validateOnly, type MigrateOptions } from './runner.ts';
import type { MigrationResult } from './schema.ts';
import { describeSpec, type StoreSpec } from './spec.ts';
import { MigrationState } from './state.ts';

/**
 * Fault scenarios for suites/migration.yml: each migrates for real, injects one kind of fault,
 * lets the migration resume or retry, and returns the final validation with what was injected.
 * A scenario passes when `result.lostRecords == 0` (and, for a corruption, when `detected`
 * named the corrupted id).
 */
export interface ScenarioOptions {
  from: StoreSpec;
  to: StoreSpec;
  stateDir?: string;
  batchSize?: number;
  parallelism?: number;
  /** Picks the fault's moment (and the corrupted row): the same seed, the same points. */
  seed?: number;
  onNote?: (message: string) => void;
}

export interface FaultScenarioResult {
  scenario: 'runner-killed' | 'database-killed' | 'row-corrupted' | 'connection-dropped';
  /** What was injected and when, one sentence each. */
  injected: string[];
  /** row-corrupted: the validation right after the corruption (it must name the id). */
  detected?: MigrationResult;
  /** The final validation, after resuming or repairing. */
  result: MigrationResult;
}

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CHILD_TIMEOUT_MS = 180_000;

function runOptions(o: ScenarioOptions): MigrateOptions {
  return {
    from: o.from,
    to: o.to,
    stateDir: o.stateDir ?? defaultStateDir(o.from, o.to),
    ...(o.batchSize !== undefined && { batchSize: o.batchSize }),
    ...(o.parallelism !== undefined && { parallelism: o.parallelism }),
    ...(o.onNote && { onNote: o.onNote }),
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Total batches the migration will run (known once its plan is on disk), else undefined. */
function plannedBatches(state: MigrationState): number | undefined {
  try {
    return state.exists() ? state.readPlan().batches : undefined;
  } catch {
    return undefined; // plan.json being renamed into place: ask again
  }
}

/**
 * Runs `ragbench migrate` as a child process and SIGKILLs it as soon as the seeded number of
 * batches is recorded finished: the batches in flight then are cut mid-write.
 * Resolves whether it was killed (false: it finished first).
 */
async function runChildAndKill(o: MigrateOptions, pickPoint: (batches: number, doneNow: number) => number): Promise<{ killed: boolean; at: string }> {
  const state = new MigrationState(o.stateDir as string);
  const args = [
    'bin/ragbench.js', 'migrate', '--from', describeSpec(o.from), '--to', describeSpec(o.to), '--state', o.stateDir as string, '--json',
    ...(o.batchSize !== undefined ? ['--batch-size', String(o.batchSize)] : []),
    ...(o.parallelism !== undefined ? ['--parallelism', String(o.parallelism)] : []),
  ];
  const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => void (stderr = (stderr + d.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let running = true;
  void exited.then(() => (running = false));
  const deadline = Date.now() + CHILD_TIMEOUT_MS;
  try {
    let point: number | undefined;
    while (running) {
      if (Date.now() > deadline) throw new Error(`migrate child ran over ${CHILD_TIMEOUT_MS} ms; stderr:\n${stderr}`);
      const batches = plannedBatches(state);
      if (batches !== undefined) {
        const done = state.finishedBatches().size;
        point ??= pickPoint(batches, done);
        if (done >= point) {
          child.kill('SIGKILL');
          await exited;
          return { killed: true, at: `SIGKILL with ${state.finishedBatches().size} of ${batches} batches recorded (kill point ${point})` };
        }
      }
      await sleep(2);
    }
    const code = await exited;
    if (code !== 0) throw new Error(`migrate child exited ${String(code)} before it could be killed; stderr:\n${stderr}`);
    return { killed: false, at: 'the child finished before its kill point' };
  } finally {
    if (running) child.kill('SIGKILL');
    await exited;
  }
}

/** (a) The runner SIGKILLed twice at seeded points, then resumed to completion. */
export async function runnerKilledScenario(options: ScenarioOptions & { kills?: number }): Promise<FaultScenarioResult> {
  const o = runOptions(options);
  const random = seededRandom(options.seed ?? 1);
  const injected: string[] = [];
  const kills = options.kills ?? 2;
  for (let i = 0; i < kills; i++) {
    // Spread the kill points: each somewhere in the first half of the batches left, so the next run still has work.
    const outcome = await runChildAndKill(o, (batches, done) => {
      const left = Math.max(1, batches - done - 1);
      return done + 1 + Math.floor(random() * Math.max(1, Math.floor(left / 2)));
    });
    injected.push(`kill ${i + 1}: ${outcome.at}`);
  }
  const result = await migrate(o);
  return { scenario: 'runner-killed', injected, result };
}

/** Runs a migration in this process and calls `fault` once `at` of its records are done (then waits for it). */
async function migrateWithFault(o: MigrateOptions, at: number, fault: () => Promise<string>): Promise<{ result: MigrationResult; injected: string[] }> {
  const injected: string[] = [];
  let pending: Promise<void> | undefined;
  const run = (): Promise<MigrationResult> =>
    migrate({
      ...o,
      onProgress: (done, total) => {
        if (pending === undefined && total > 0 && done >= Math.floor(at * total)) {
          pending = fault().then((what) => void injected.push(`${what} with ${done} of ${total} records copied`));
        }
      },
    });
  let result: MigrationResult;
  try {
    result = await run();
  } catch (error) {
    await pending;
    injected.push(`the migration stopped (${(error as Error).message.split('\n')[0]}) and was run again`);
    result = await migrate(o);
  }
  await pending;
  return { result, injected };
}

/** (b) The target PostgreSQL SIGKILLed mid-batch and restarted; the migration retries or resumes. */
export async function databaseKilledScenario(options: ScenarioOptions & { server: ManagedServer; downMs?: number }): Promise<FaultScenarioResult> {
  const random = seededRandom(options.seed ?? 2);
  const at = 0.2 + 0.6 * random();
  const { result, injected } = await migrateWithFault(runOptions(options), at, async () => {
    await options.server.kill();
    await sleep(options.downMs ?? 1_000);
    await options.server.restart();
    return `PostgreSQL SIGKILLed, down ${options.downMs ?? 1_000} ms, restarted,`;
  });
  return { scenario: 'database-killed', injected, result };
}

async function withPg<T>(to: StoreSpec, work: (client: pg.Client, table: string) => Promise<T>): Promise<T> {
  const o = pgvectorOptions.parse(to.options);
  const client = new pg.Client({ ...clientConfig(o), query_timeout: 30_000 });
  client.on('error', () => {});
  await client.connect();
  try {
    return await work(client, quoteIdentifier(o.table, 'table'));
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * (c) After a migration, one target row corrupted with a parameterised UPDATE (its text, or one
 * coordinate of its vector); validation must report it as mismatched by id, and running the
 * migration again repairs it: the run finds every batch done, validates, re-copies the
 * mismatched ids from the source, and validates again.
 */
export async function rowCorruptedScenario(options: ScenarioOptions & { field?: 'text' | 'vector' }): Promise<FaultScenarioResult> {
  if (options.to.name !== 'pgvector') throw new Error(`rowCorruptedScenario: the target must be pgvector, got ${options.to.name}`);
  const o = runOptions(options);
  await migrate(o);
  const random = seededRandom(options.seed ?? 3);
  const field = options.field ?? 'text';
  const id = await withPg(options.to, async (client, table) => {
    const ids = (await client.query<{ id: string }>(`SELECT id FROM ${table} ORDER BY id`)).rows.map((r) => r.id);
    const victim = ids[Math.floor(random() * ids.length)] as string;
    if (field === 'text') {
      await client.query(`UPDATE ${table} SET metadata = jsonb_set(metadata, '{text}', to_jsonb($2::text)) WHERE id = $1`, [victim, 'corrupted']);
    } else {
      const row = await client.query<{ embedding: string }>(`SELECT embedding::text AS embedding FROM ${table} WHERE id = $1`, [victim]);
      const vector = parseVector(row.rows[0]?.embedding as string);
      vector[0] = (vector[0] as number) + 0.01;
      await client.query(`UPDATE ${table} SET embedding = $2::vector WHERE id = $1`, [victim, vectorLiteral(vector)]);
    }
    return victim;
  });
  const injected = [`${field} of row ${id} changed by an UPDATE after the migration`];
  const detected = await validateOnly(o);
  const result = await migrate(o);
  return { scenario: 'row-corrupted', injected, detected, result };
}

/** (d) The migration's connections terminated (pg_terminate_backend) mid-migration, `drops` times; batches retry. */
export async function connectionDroppedScenario(options: ScenarioOptions & { drops?: number }): Promise<FaultScenarioResult> {
  if (options.to.name !== 'pgvector') throw new Error(`connectionDroppedScenario: the target must be pgvector, got ${options.to.name}`);
  const random = seededRandom(options.seed ?? 4);
  const drops = options.drops ?? 3;
  const { result, injected } = await migrateWithFault(runOptions(options), 0.1 + 0.5 * random(), async () => {
    let terminated = 0;
    for (let i = 0; i < drops; i++) {
      terminated += await withPg(options.to, async (client) => {
        const r = await client.query<{ n: number }>(
          `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity
           WHERE application_name = 'ragbench' AND pid <> pg_backend_pid() AND datname = current_database()`,
        );
        return r.rows[0]?.n ?? 0;
      });
      await sleep(20 + Math.floor(random() * 40));
    }
    return `${terminated} migration connection(s) terminated in ${drops} rounds`;
  });
  return { scenario: 'connection-dropped', injected, result };
}
