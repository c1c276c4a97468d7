import { join } from 'node:path';
import type { CachedEmbedder } from '../embed/cache.ts';
import type { VectorRecord, VectorStore } from '../store/types.ts';
import { InputError } from '../util/errors.ts';
import { canonicalJson, sha256 } from './canonical.ts';
import { pgvectorTargetIndex, type TargetIndex } from './pgvector-index.ts';
import { readInBatches } from './records.ts';
import { openEmbedder, reembed, sourceMatchesEmbedder } from './reembed.ts';
import { MigrationResultSchema, type MigrationResult } from './schema.ts';
import { describeSpec, openStore, sourceDimensions, type StoreSpec } from './spec.ts';
import { MigrationState, type Plan } from './state.ts';
import { validateMigration, type ValidateOptions, type Validation } from './validate.ts';

export const DEFAULT_BATCH_SIZE = 1000;
export const DEFAULT_PARALLELISM = 8;
export const DEFAULT_STATE_ROOT = '.cache/migrations';

export interface MigrateOptions {
  from: StoreSpec;
  to: StoreSpec;
  /** Checkpoint folder; default `.cache/migrations/<from>-to-<to>-<hash>` (defaultStateDir). */
  stateDir?: string;
  batchSize?: number;
  parallelism?: number;
  /** Re-embed the chunks' text with this embedder unless the source's vectors already come from it. */
  embedder?: string;
  /** Embedding cache folder (default .cache/embeddings). */
  cacheDir?: string;
  /** Attempts after the first for a batch that fails (a dropped connection, a restarting server). */
  retries?: number;
  /** First wait before a retry; doubles each time, at most 5 s. */
  retryDelayMs?: number;
  /** pgvector targets: drop the HNSW index before the load and build it after (default true). */
  buildIndexAfterLoad?: boolean;
  validation?: Pick<ValidateOptions, 'k' | 'sampleQueries' | 'queryVectors' | 'queryTolerance' | 'seed' | 'vectorEpsilon'>;
  onProgress?: (done: number, total: number) => void;
  onNote?: (message: string) => void;
}

/** A state folder per (source, target, embedder): the same command resumes, another starts its own. */
export function defaultStateDir(from: StoreSpec, to: StoreSpec, embedder?: string): string {
  const key = sha256(JSON.stringify([describeSpec(from), describeSpec(to), embedder ?? null])).slice(0, 12);
  return join(DEFAULT_STATE_ROOT, `${from.name}-to-${to.name}-${key}`);
}

function positive(flag: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v <= 0) throw new InputError(`${flag} must be a positive integer, got ${String(value)}`);
  return v;
}

/** Both stores open, the re-embedding decided, the state folder known: what every operation starts from. */
interface Session {
  source: VectorStore;
  target: VectorStore;
  state: MigrationState;
  /** Set when the target gets re-embedded vectors. */
  embedder: CachedEmbedder | undefined;
  targetIndex: TargetIndex | undefined;
  from: string;
  to: string;
  close(): Promise<void>;
}

async function openSession(options: MigrateOptions, parallelism: number): Promise<Session> {
  const state = new MigrationState(options.stateDir ?? defaultStateDir(options.from, options.to, options.embedder));
  const plan = state.exists() ? state.readPlan() : undefined;
  const dimensions = sourceDimensions('--from', options.from);
  const source = await openStore(options.from, dimensions);
  const closers: (() => Promise<void>)[] = [() => source.close()];
  const close = async (): Promise<void> => {
    state.close();
    for (const c of closers.reverse()) await c().catch(() => {});
  };
  try {
    let embedder: CachedEmbedder | undefined;
    const embedderName = plan ? plan.reembedWith : options.embedder;
    if (embedderName) {
      const candidate = openEmbedder(embedderName, options.cacheDir);
      closers.push(() => candidate.close());
      if (plan) embedder = candidate;
      else {
        const probe = await source.get((await source.listIds()).sort().slice(0, 8));
        if (!(await sourceMatchesEmbedder(candidate, probe, dimensions))) embedder = candidate;
      }
    }
    const targetDimensions = plan?.targetDimensions ?? embedder?.dimensions ?? dimensions;
    if (options.to.dimensions !== undefined && options.to.dimensions !== targetDimensions) {
      throw new InputError(
        `--to: dimensions ${options.to.dimensions}, but the target gets ${targetDimensions}-d vectors` +
          (embedder ? ` from ${embedder.id}` : ' copied from the source: give --embedder to re-embed into another size'),
      );
    }
    const targetIndex = options.buildIndexAfterLoad === false ? undefined : pgvectorTargetIndex(options.to);
    const target = await openStore(options.to, targetDimensions, {
      ...(options.to.name === 'pgvector' && options.to.options.poolSize === undefined && { poolSize: Math.min(parallelism, 100) }),
      ...targetIndex?.storeOptions,
    });
    closers.push(() => target.close());
    return { source, target, state, embedder, targetIndex, from: describeSpec(options.from), to: describeSpec(options.to), close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function withRetries<T>(work: () => Promise<T>, retries: number, delayMs: number, onRetry: (error: unknown, attempt: number) => void): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (error instanceof InputError || attempt >= retries) throw error;
      onRetry(error, attempt + 1);
      await new Promise((r) => setTimeout(r, Math.min(5_000, delayMs * 2 ** attempt)));
    }
  }
}

function flushable(store: VectorStore): store is VectorStore & { flush(): Promise<void> } {
  return typeof (store as { flush?: unknown }).flush === 'function';
}

/** Copies records into the target: vectors as they are, or re-embedded; then flushes an on-disk target so the write is durable. */
async function store(session: Session, records: readonly VectorRecord[]): Promise<void> {
  const vectors = session.embedder ? await reembed(session.embedder, records) : records.map((r) => r.vector);
  await session.target.upsert(records.map((r, i) => ({ id: r.id, vector: vectors[i] as Float32Array, ...(r.metadata && { metadata: r.metadata }) })));
  if (flushable(session.target)) await session.target.flush();
}

/** Snapshot of the source ids and backup of the target, then plan.json: from then on the run resumes. */
async function begin(session: Session, batchSize: number): Promise<Plan> {
  const { state, source, target } = session;
  const ids = [...new Set(await source.listIds())].sort();
  state.writeIds(ids);
  const prior = (await target.listIds()).sort();
  const backupRecords = await state.writeBackup(readInBatches(target, prior, batchSize));
  const plan: Plan = {
    version: 1,
    from: session.from,
    to: session.to,
    reembedWith: session.embedder?.id ?? null,
    targetDimensions: target.dimensions,
    batchSize,
    total: ids.length,
    batches: Math.ceil(ids.length / batchSize),
    backupRecords,
    startedAt: new Date().toISOString(),
  };
  state.writePlan(plan);
  return plan;
}

function validationOptions(session: Session, options: MigrateOptions, priorIds: ReadonlySet<string>): ValidateOptions {
  const embedder = session.embedder;
  return {
    from: session.from,
    to: session.to,
    targetStore: options.to.name,
    priorIds,
    ...(embedder && { expectedVectors: (records: readonly VectorRecord[]) => reembed(embedder, records) }),
    ...options.validation,
  };
}

/** Target ids the backup holds and the source lacks: the target's own records, not the migration's. */
function priorIdsOf(state: MigrationState, sourceIds: readonly string[]): Set<string> {
  const source = new Set(sourceIds);
  return new Set(state.readBackup().map((r) => r.id).filter((id) => !source.has(id)));
}

/**
 * Copies every source record into the target in batches, `parallelism` at a time, recording each
 * finished batch durably; a run killed at any instant resumes (same options) where it stopped,
 * redoing only unfinished batches (upserts are idempotent). Then validates, re-copies whatever
 * validation finds missing or mismatched (once), and validates again.
 */
export async function migrate(options: MigrateOptions): Promise<MigrationResult> {
  const started = performance.now();
  const parallelism = positive('--parallelism', options.parallelism, DEFAULT_PARALLELISM);
  const requestedBatch = positive('--batch-size', options.batchSize, DEFAULT_BATCH_SIZE);
  const retries = options.retries ?? 6;
  const retryDelayMs = options.retryDelayMs ?? 250;
  const note = options.onNote ?? (() => {});
  const session = await openSession(options, parallelism);
  try {
    const { state, source, target } = session;
    let plan: Plan;
    if (state.exists()) {
      plan = state.readPlan();
      if (plan.from !== session.from || plan.to !== session.to) {
        throw new InputError(`--state ${state.dir} holds the migration ${plan.from} -> ${plan.to}, not ${session.from} -> ${session.to}: give another --state, or the same stores`);
      }
      if (options.batchSize !== undefined && options.batchSize !== plan.batchSize) {
        throw new InputError(`--batch-size ${options.batchSize}: the migration in ${state.dir} began with batches of ${plan.batchSize}; resume with that size, or roll back first`);
      }
    } else {
      plan = await begin(session, requestedBatch);
    }
    const ids = state.readIds();
    const finished = state.finishedBatches();
    const resumed = finished.size;
    if (resumed > 0) note(`resuming: ${resumed} of ${plan.batches} batches already done (${state.dir})`);
    const pending = Array.from({ length: plan.batches }, (_, b) => b).filter((b) => !finished.has(b));
    const batchIds = (b: number): string[] => ids.slice(b * plan.batchSize, (b + 1) * plan.batchSize);

    let done = ids.length - pending.reduce((n, b) => n + batchIds(b).length, 0);
    let chunksCopied = 0;
    let retried = 0;
    options.onProgress?.(done, ids.length);
    const copyStarted = performance.now();
    if (pending.length > 0) await session.targetIndex?.drop();
    let next = 0;
    let failure: unknown;
    const worker = async (): Promise<void> => {
      while (failure === undefined && next < pending.length) {
        const b = pending[next++] as number;
        const these = batchIds(b);
        await withRetries(
          async () => store(session, await source.get(these)),
          retries,
          retryDelayMs,
          (error, attempt) => {
            retried++;
            note(`batch ${b}: attempt ${attempt} of ${retries} after: ${(error as Error).message.split('\n')[0]}`);
          },
        ).catch((error: unknown) => {
          failure ??= error;
        });
        if (failure !== undefined) return;
        await state.markFinished(b);
        done += these.length;
        chunksCopied += these.length;
        options.onProgress?.(done, ids.length);
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallelism, Math.max(1, pending.length)) }, worker));
    if (failure !== undefined) throw failure;
    const copySeconds = (performance.now() - copyStarted) / 1000;
    const targetIndex = session.targetIndex;
    const indexSeconds = targetIndex ? await withRetries(() => targetIndex.build(ids.length, session.target.dimensions), retries, retryDelayMs, () => retried++) : 0;

    const validateStarted = performance.now();
    const vOptions = validationOptions(session, options, priorIdsOf(state, ids));
    let validation: Validation = await validateMigration(source, target, vOptions);
    let repaired = 0;
    if (validation.lostIds.length > 0) {
      note(`re-copying ${validation.lostIds.length} record(s) that validation found missing or mismatched`);
      for (let i = 0; i < validation.lostIds.length; i += plan.batchSize) {
        const these = validation.lostIds.slice(i, i + plan.batchSize);
        await withRetries(async () => store(session, await source.get(these)), retries, retryDelayMs, () => retried++);
      }
      repaired = validation.lostIds.length;
      validation = await validateMigration(source, target, vOptions);
    }
    const validateSeconds = (performance.now() - validateStarted) / 1000;
    const { lostIds: _lost, ...fields } = validation;
    return MigrationResultSchema.parse({
      version: 1,
      ...fields,
      seconds: (performance.now() - started) / 1000,
      chunksPerSecond: chunksCopied > 0 ? chunksCopied / (copySeconds + indexSeconds) : 0,
      chunksCopied,
      copySeconds,
      indexSeconds,
      validateSeconds,
      batchSize: plan.batchSize,
      parallelism,
      batches: plan.batches,
      resumed,
      retries: retried,
      repaired,
      reembedded: session.embedder !== undefined,
      embedder: session.embedder?.id ?? null,
    });
  } finally {
    await session.close();
  }
}

/** `--validate-only`: compares the two stores as they are (using the migration's state for the target's prior records, when there is one). */
export async function validateOnly(options: MigrateOptions): Promise<MigrationResult> {
  const started = performance.now();
  const parallelism = positive('--parallelism', options.parallelism, DEFAULT_PARALLELISM);
  const session = await openSession(options, parallelism);
  try {
    const { state, source, target } = session;
    const plan = state.exists() ? state.readPlan() : undefined;
    const prior = plan ? priorIdsOf(state, state.readIds()) : new Set<string>();
    const { lostIds: _lost, ...fields } = await validateMigration(source, target, validationOptions(session, options, prior));
    const seconds = (performance.now() - started) / 1000;
    return MigrationResultSchema.parse({
      version: 1,
      ...fields,
      seconds,
      chunksPerSecond: 0,
      chunksCopied: 0,
      copySeconds: 0,
      indexSeconds: 0,
      validateSeconds: seconds,
      batchSize: plan?.batchSize ?? positive('--batch-size', options.batchSize, DEFAULT_BATCH_SIZE),
      parallelism,
      batches: plan?.batches ?? 0,
      resumed: plan ? state.finishedBatches().size : 0,
      retries: 0,
      repaired: 0,
      reembedded: session.embedder !== undefined,
      embedder: session.embedder?.id ?? null,
    });
  } finally {
    await session.close();
  }
}

export interface DryRun {
  from: string;
  to: string;
  stateDir: string;
  chunks: number;
  /** Source records per document. */
  documents: Record<string, number>;
  batchSize: number;
  batches: number;
  /** Batches an earlier run finished (they would be skipped). */
  finishedBatches: number;
  targetCount: number;
  reembedWith: string | null;
}

/** `--dry-run`: what a migration would move; writes nothing. */
export async function planMigration(options: MigrateOptions): Promise<DryRun> {
  const parallelism = positive('--parallelism', options.parallelism, DEFAULT_PARALLELISM);
  const session = await openSession(options, parallelism);
  try {
    const { state, source, target } = session;
    const plan = state.exists() ? state.readPlan() : undefined;
    const ids = plan ? state.readIds() : [...new Set(await source.listIds())].sort();
    const documents: Record<string, number> = {};
    for await (const batch of readInBatches(source, ids, DEFAULT_BATCH_SIZE)) {
      for (const r of batch) {
        const doc = r.metadata?.documentId ?? '';
        documents[doc] = (documents[doc] ?? 0) + 1;
      }
    }
    const batchSize = plan?.batchSize ?? positive('--batch-size', options.batchSize, DEFAULT_BATCH_SIZE);
    return {
      from: session.from,
      to: session.to,
      stateDir: state.dir,
      chunks: ids.length,
      documents,
      batchSize,
      batches: Math.ceil(ids.length / batchSize),
      finishedBatches: plan ? state.finishedBatches().size : 0,
      targetCount: await target.count(),
      reembedWith: session.embedder?.id ?? null,
    };
  } finally {
    await session.close();
  }
}

export interface RollbackResult {
  stateDir: string;
  /** Ids the migration could have written, deleted from the target. */
  deleted: number;
  /** Backed-up records put back. */
  restored: number;
  /** Every backed-up record reads back equal, and none of the migration's others remain. */
  verified: boolean;
  targetCount: number;
}

/** `--rollback`: the target as it was before the migration: its records deleted, the backup restored, then the state folder removed. */
export async function rollbackMigration(options: MigrateOptions): Promise<RollbackResult> {
  const stateDir = options.stateDir ?? defaultStateDir(options.from, options.to, options.embedder);
  const state = new MigrationState(stateDir);
  if (!state.exists()) throw new InputError(`--rollback: no migration in ${stateDir} (plan.json absent): nothing was written to roll back; give the same --from/--to/--embedder (or --state) as the migration`);
  const session = await openSession({ ...options, stateDir }, positive('--parallelism', options.parallelism, DEFAULT_PARALLELISM));
  try {
    const { target } = session;
    const batchSize = state.readPlan().batchSize;
    const ids = state.readIds();
    const backup = state.readBackup();
    for (let i = 0; i < ids.length; i += batchSize) await target.delete(ids.slice(i, i + batchSize));
    for (let i = 0; i < backup.length; i += batchSize) await target.upsert(backup.slice(i, i + batchSize));
    if (flushable(target)) await target.flush();
    await session.targetIndex?.build(backup.length, session.target.dimensions);
    const backedUp = new Map(backup.map((r) => [r.id, r]));
    const left = new Set(await target.listIds());
    let verified = ids.every((id) => !left.has(id) || backedUp.has(id)) && backup.every((r) => left.has(r.id));
    for (let i = 0; verified && i < backup.length; i += batchSize) {
      for (const r of await target.get(backup.slice(i, i + batchSize).map((b) => b.id))) {
        const want = backedUp.get(r.id) as VectorRecord;
        if (canonicalJson(r.metadata ?? null) !== canonicalJson(want.metadata ?? null) || r.vector.some((x, j) => x !== want.vector[j])) verified = false;
      }
    }
    const result = { stateDir, deleted: ids.length, restored: backup.length, verified, targetCount: await target.count() };
    if (verified) state.remove();
    return result;
  } finally {
    await session.close();
  }
}
