import type { Command } from 'commander';
import { migrate, planMigration, rollbackMigration, validateOnly, type DryRun, type MigrateOptions, type RollbackResult } from '../../migrate/runner.ts';
import type { MigrationResult } from '../../migrate/schema.ts';
import { parseStoreSpec } from '../../migrate/spec.ts';
import { InputError } from '../../util/errors.ts';
import { EXIT } from '../exit.ts';
import { progressBars } from '../progress-bars.ts';

interface MigrateFlags {
  from: string;
  to: string;
  state?: string;
  batchSize?: string;
  parallelism?: string;
  embedder?: string;
  cache?: string;
  retries?: string;
  dryRun?: boolean;
  rollback?: boolean;
  validateOnly?: boolean;
  json?: boolean;
}

function integer(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InputError(`${flag}: expected a whole number, got "${value}"`);
  return n;
}

export function formatResult(r: MigrationResult): string {
  const lines = [
    `${r.ok ? 'ZERO LOSS' : 'LOSS FOUND'}: ${r.from} -> ${r.to}`,
    `  chunks        source ${r.chunksSource}, target ${r.chunksTarget}; missing ${r.missing}, mismatched ${r.mismatched}, duplicates ${r.duplicates}, orphans ${r.orphans}`,
    `  checksum      ${r.checksumOk ? 'equal' : 'DIFFERENT'} (sha256 ${r.checksumSource.slice(0, 16)}…), ${r.documents.checked} documents${r.documents.differing.length > 0 ? `, ${r.documents.differing.length} with other counts` : ''}`,
    `  vectors       max |Δ| ${r.maxVectorDelta ?? 'n/a'} (epsilon ${r.vectorEpsilon})${r.reembedded ? `, re-embedded with ${r.embedder}` : ''}`,
    `  queries       top-${r.k} agreement ${r.queryAgreement.toFixed(3)} over ${r.queriesSampled} queries (tolerance ${r.queryTolerance})`,
    `  throughput    ${r.chunksCopied} copied in ${(r.copySeconds + r.indexSeconds).toFixed(2)} s (index ${r.indexSeconds.toFixed(2)} s) = ${Math.round(r.chunksPerSecond)} chunks/s; batches ${r.batches} of ${r.batchSize}, parallelism ${r.parallelism}, resumed ${r.resumed}, retries ${r.retries}, repaired ${r.repaired}`,
  ];
  for (const p of r.problems) lines.push(`  LOST/FAILED   ${p}`);
  return `${lines.join('\n')}\n`;
}

function formatDryRun(d: DryRun): string {
  const docs = Object.entries(d.documents).sort(([a], [b]) => (a < b ? -1 : 1)).map(([doc, n]) => `    ${doc || '(no document)'}: ${n}`);
  return [
    `would migrate ${d.chunks} chunks: ${d.from} -> ${d.to}`,
    `  ${d.batches} batches of ${d.batchSize}${d.finishedBatches > 0 ? `, ${d.finishedBatches} already done (resume)` : ''}; state ${d.stateDir}`,
    `  target holds ${d.targetCount} records now (backed up before writing)`,
    `  vectors: ${d.reembedWith ? `re-embedded with ${d.reembedWith}` : 'copied'}`,
    `  per document:`,
    ...docs,
    '',
  ].join('\n');
}

function formatRollback(r: RollbackResult): string {
  return `${r.verified ? 'rolled back' : 'ROLLBACK NOT VERIFIED'}: deleted ${r.deleted} migrated ids, restored ${r.restored} backed-up records; target holds ${r.targetCount}${r.verified ? `; state ${r.stateDir} removed` : ''}\n`;
}

export function registerMigrate(program: Command): void {
  program
    .command('migrate')
    .description('copy every chunk from one vector store to another, resumably, then prove nothing was lost: exit 0 zero loss, 1 loss found, 2 invalid input, 3 runtime error')
    .requiredOption('--from <spec>', "source store, as --store takes it: '{name: faiss-flat, dir: .cache/index}'")
    .requiredOption('--to <spec>', "target store: '{name: pgvector, url: postgres://…}' or '{name: chroma, url: http://…}'")
    .option('--state <dir>', 'checkpoint folder (default .cache/migrations/<from>-to-<to>-<hash>)')
    .option('--batch-size <n>', 'records per batch (default 1000)')
    .option('--parallelism <n>', 'batches in flight (default 8)')
    .option('--embedder <name>', "re-embed the chunks' text with this embedder unless the source's vectors already come from it")
    .option('--cache <dir>', 'embedding cache folder', '.cache/embeddings')
    .option('--retries <n>', 'retries of a failed batch, with backoff (default 6)')
    .option('--dry-run', 'print what would move; write nothing')
    .option('--rollback', "restore the target's state from before the migration")
    .option('--validate-only', 'compare the two stores as they are')
    .option('--json', 'print the result as JSON')
    .action(async (flags: MigrateFlags) => {
      if ([flags.dryRun, flags.rollback, flags.validateOnly].filter(Boolean).length > 1) {
        throw new InputError('give at most one of --dry-run, --rollback, --validate-only');
      }
      const batchSize = integer('--batch-size', flags.batchSize);
      const parallelism = integer('--parallelism', flags.parallelism);
      const retries = integer('--retries', flags.retries);
      const bars = progressBars();
      let bar: { update(done: number): void; stop(): void } | undefined;
      const options: MigrateOptions = {
        from: parseStoreSpec('--from', flags.from),
        to: parseStoreSpec('--to', flags.to),
        ...(flags.state !== undefined && { stateDir: flags.state }),
        ...(batchSize !== undefined && { batchSize }),
        ...(parallelism !== undefined && { parallelism }),
        ...(retries !== undefined && { retries }),
        ...(flags.embedder !== undefined && { embedder: flags.embedder }),
        ...(flags.cache !== undefined && { cacheDir: flags.cache }),
        onNote: (message) => bars.note(message),
        onProgress: (done, total) => {
          bar ??= bars.start('migrating chunks', total);
          bar.update(done);
        },
      };
      const print = (value: unknown, text: string): void => void process.stdout.write(flags.json ? `${JSON.stringify(value, null, 2)}\n` : text);
      try {
        if (flags.dryRun) {
          const plan = await planMigration(options);
          return print(plan, formatDryRun(plan));
        }
        if (flags.rollback) {
          const result = await rollbackMigration(options);
          print(result, formatRollback(result));
          if (!result.verified) process.exitCode = EXIT.noGo;
          return;
        }
        const result = flags.validateOnly ? await validateOnly(options) : await migrate(options);
        bar?.stop();
        bar = undefined;
        print(result, formatResult(result));
        if (!result.ok) process.exitCode = EXIT.noGo;
      } finally {
        bar?.stop();
        bars.close();
      }
    });
}
