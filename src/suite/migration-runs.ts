import { join } from 'node:path';
import type { MigrateOptions } from '../migrate/runner.ts';
import { migrate } from '../migrate/runner.ts';
import {
  connectionDroppedScenario,
  databaseKilledScenario,
  rowCorruptedScenario,
  runnerKilledScenario,
  type FaultScenarioResult,
  type ScenarioOptions,
} from '../migrate/scenarios.ts';
import { ingestToDisk } from '../migrate/source.ts';
import { describeSpec, parseStoreSpec, type StoreSpec } from '../migrate/spec.ts';
import { POSTGRES_SCENARIOS, type MigrationScenario, type MigrationSuite } from '../migrate/suite-settings.ts';
import type { MigrationRun, RunResult } from '../summary/schema.ts';
import { label } from './execute-run.ts';
import { resolveComponent } from './matrix.ts';
import type { ProgressSink } from './progress.ts';
import type { SuiteServers } from './servers.ts';
import { withServerUrls } from './servers.ts';

export interface MigrationContext {
  settings: MigrationSuite;
  /** The golden set's PDFs: what the source index holds. */
  documents: readonly string[];
  cacheDir: string;
  /** The suite run's folder: the source index and each scenario's checkpoint live under it. */
  dir: string;
  servers: SuiteServers;
  progress: ProgressSink;
  signal?: AbortSignal;
}

interface PlannedMigration {
  scenario: MigrationScenario;
  targetIndex: number;
  target: { name: string } & Record<string, unknown>;
}

/** Whether a target is a pgvector store on the suite's own PostgreSQL (what the database scenarios act on). */
function onSuitePostgres(target: Record<string, unknown>): boolean {
  return target.name === 'pgvector' && target.server === 'postgres';
}

/**
 * Every (target, scenario) pair that can run: `plain` and `runner-killed` on any target; the
 * scenarios that act on PostgreSQL itself only on a pgvector target the suite started.
 */
export function planMigrations(settings: MigrationSuite): PlannedMigration[] {
  return settings.targets.flatMap((target, targetIndex) =>
    settings.scenarios
      .filter((scenario) => !POSTGRES_SCENARIOS.includes(scenario) || onSuitePostgres(target))
      .map((scenario) => ({ scenario, targetIndex, target })),
  );
}

/** A fresh table, collection or folder per scenario, so no scenario starts on another's records (table names stay short: pgvector derives a 40-character index name from them). */
function freshTarget(target: Record<string, unknown>, slot: string, dir: string): Record<string, unknown> {
  if (target.name === 'pgvector') return { ...target, table: `mig_${slot.replace(/-/g, '_')}` };
  if (target.name === 'chroma') return { ...target, collection: `ragbench-migration-${slot}` };
  if (typeof target.name === 'string' && target.name.startsWith('faiss')) return { ...target, dir: join(dir, 'targets', slot) };
  return target;
}

async function runScenario(p: PlannedMigration, options: ScenarioOptions, ctx: MigrationContext): Promise<Omit<FaultScenarioResult, 'scenario'>> {
  switch (p.scenario) {
    case 'plain':
      return { injected: [], result: await migrate(options as MigrateOptions) };
    case 'runner-killed':
      return runnerKilledScenario(options);
    case 'database-killed': {
      const server = ctx.servers.get('postgres');
      if (!server) throw new Error('database-killed needs the suite\'s PostgreSQL (target `server: postgres`)');
      return databaseKilledScenario({ ...options, server });
    }
    case 'row-corrupted':
      return rowCorruptedScenario(options);
    case 'connection-dropped':
      return connectionDroppedScenario(options);
  }
}

/** Checks every target's store spec at load (placeholders for suite servers), naming the field. */
export function validateMigrationTargets(file: string, settings: MigrationSuite): void {
  settings.targets.forEach((target, i) => {
    const where = `${file}: migration.targets.${i}`;
    parseStoreSpec(where, freshTarget(withServerUrls(target, undefined, where), 'check', '.'));
  });
}

/**
 * The suite's migration runs: the source index is built once (the golden PDFs through the
 * pipeline into a FAISS index on disk, embeddings from the cache), then every planned
 * (target, scenario) migrates into a fresh target and is validated.
 */
export async function runMigrations(ctx: MigrationContext): Promise<RunResult[]> {
  const { settings } = ctx;
  const sourceDir = join(ctx.dir, 'migration', 'source');
  const chunker = resolveComponent(settings.source.chunker);
  const embedder = resolveComponent(settings.source.embedder);
  ctx.progress.note(`migration: indexing the golden set into ${settings.source.store} at ${sourceDir}`);
  const built = await ingestToDisk({ docs: ctx.documents, dir: sourceDir, store: settings.source.store, chunker, embedder, cacheDir: ctx.cacheDir });
  ctx.progress.note(`migration: source holds ${built.chunks} chunks of ${built.documents} documents`);
  const from: StoreSpec = parseStoreSpec('migration.source', { name: settings.source.store, dir: sourceDir });
  const results: RunResult[] = [];
  const planned = planMigrations(settings);
  const task = ctx.progress.start('migration scenarios', planned.length);
  for (const [i, p] of planned.entries()) {
    ctx.signal?.throwIfAborted();
    const slot = `${p.targetIndex}-${p.scenario}`;
    const where = `migration.targets.${p.targetIndex}`;
    const name = `${p.target.name}·${p.scenario}`.slice(0, 40);
    const config = { extractor: 'router', chunker: label(chunker), embedder: label(embedder), store: `${settings.source.store}→${p.target.name}`, retriever: 'none' };
    const id = `migration/${config.chunker}/${config.store}/${p.scenario}`;
    try {
      const to = parseStoreSpec(where, freshTarget(withServerUrls(p.target, ctx.servers.addresses(), where), slot, ctx.dir));
      const options: ScenarioOptions = {
        from,
        to,
        stateDir: join(ctx.dir, 'migration', 'state', slot),
        batchSize: settings.batchSize,
        parallelism: settings.parallelism,
        seed: settings.seed + i,
        onNote: (m) => ctx.progress.note(`${name}: ${m}`),
      };
      ctx.progress.note(`migration ${i + 1}/${planned.length}: ${name} (${describeSpec(from)} → ${p.target.name})`);
      const out = await runScenario(p, options, ctx);
      await ctx.servers.ensureUp();
      const migration: MigrationRun = {
        ...out.result,
        scenario: p.scenario,
        injected: out.injected,
        ...(out.detected && { detected: { mismatched: out.detected.mismatched, examples: out.detected.examples.mismatched, problems: out.detected.problems } }),
      };
      results.push({ id, name, config, status: 'completed', migration });
    } catch (error) {
      await ctx.servers.ensureUp().catch(() => undefined);
      const interrupted = ctx.signal?.aborted === true;
      results.push({ id, name, config, status: interrupted ? 'interrupted' : 'errored', error: error instanceof Error ? error.message : String(error) });
      if (interrupted) break;
    }
    task.update(i + 1);
  }
  task.stop();
  return results;
}
