/**
 * Migration throughput, FAISS -> pgvector with vectors copied (not re-embedded), on ≥ 10,000 real
 * chunks: the 12 SQuAD articles of golden/squad-dev chunked small (fixed, 64 characters, 16
 * overlap: 10,796 chunks) and embedded with USE-lite (the first run fills .cache/embeddings,
 * a few minutes; later runs reuse it). Prints chunks/s for batch sizes x parallelism, with the
 * HNSW index built after the load and (for one setting) maintained during it, then runs the
 * best setting killed twice (SIGKILL) and resumed, and validates it.
 *
 *   npm run bench:migration [-- --quick]     (--quick: fewer settings)
 *
 * Starts its own PostgreSQL on a free port with a temporary data folder; removes it at the end.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, type MigrateOptions } from '../src/migrate/runner.ts';
import { runnerKilledScenario } from '../src/migrate/scenarios.ts';
import type { MigrationResult } from '../src/migrate/schema.ts';
import { ingestToDisk } from '../src/migrate/source.ts';
import { parseStoreSpec } from '../src/migrate/spec.ts';
import { PostgresServer } from '../src/servers/postgres.ts';
import { savedStoreDimensions } from '../src/store/persist.ts';

const SOURCE_DIR = '.cache/migration-bench/source-fixed64';
const CHUNKER = { name: 'fixed', size: 64, overlap: 16 };
const quick = process.argv.includes('--quick');
const BATCH_SIZES = quick ? [1000] : [500, 1000, 2000];
const PARALLELISM = quick ? [4, 8] : [2, 4, 8];

function row(label: string, r: MigrationResult): string {
  const withIndex = r.chunksCopied / (r.copySeconds + r.indexSeconds);
  const copyOnly = r.chunksCopied / r.copySeconds;
  return [
    label.padEnd(34),
    `${Math.round(copyOnly)}`.padStart(8),
    `${r.indexSeconds.toFixed(2)}`.padStart(8),
    `${Math.round(withIndex)}`.padStart(10),
    `${r.validateSeconds.toFixed(2)}`.padStart(10),
    `${r.lostRecords}`.padStart(5),
    r.queryAgreement.toFixed(3).padStart(7),
  ].join(' ');
}

async function main(): Promise<void> {
  if (savedStoreDimensions(SOURCE_DIR) === undefined) {
    console.log(`building the source: golden/squad-dev/docs, chunker fixed 64/16, USE-lite, into ${SOURCE_DIR} (first run: embeds ~10k chunks)`);
    const started = performance.now();
    const built = await ingestToDisk({ docs: ['golden/squad-dev/docs'], dir: SOURCE_DIR, chunker: CHUNKER });
    console.log(`  ${built.chunks} chunks from ${built.documents} documents in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const server = await PostgresServer.create();
  await server.start();
  const root = mkdtempSync(join(tmpdir(), 'ragbench-migration-bench-'));
  try {
    const from = parseStoreSpec('--from', { name: 'faiss-flat', dir: SOURCE_DIR });
    let tables = 0;
    const run = (batchSize: number, parallelism: number, extra: Partial<MigrateOptions> = {}): Promise<MigrationResult> => {
      const table = `bench_${++tables}`;
      return migrate({
        from,
        to: parseStoreSpec('--to', { name: 'pgvector', url: server.url, table }),
        stateDir: join(root, table),
        batchSize,
        parallelism,
        ...extra,
      });
    };
    console.log(`\nFAISS (faiss-flat, ${SOURCE_DIR}) -> pgvector (PostgreSQL at ${server.url}), vectors copied; ${new Date().toISOString()}`);
    console.log(`${'setting'.padEnd(34)} ${'copy/s'.padStart(8)} ${'index s'.padStart(8)} ${'total/s'.padStart(10)} ${'validate s'.padStart(10)} ${'lost'.padStart(5)} ${'agree'.padStart(7)}`);
    let best: { batchSize: number; parallelism: number; result: MigrationResult } | undefined;
    for (const batchSize of BATCH_SIZES) {
      for (const parallelism of PARALLELISM) {
        const result = await run(batchSize, parallelism);
        console.log(row(`batch ${batchSize}, parallelism ${parallelism}`, result));
        if (!best || result.chunksPerSecond > best.result.chunksPerSecond) best = { batchSize, parallelism, result };
      }
    }
    if (!best) throw new Error('no setting ran');
    // The alternative: the HNSW index kept during the load (pgvector inserts into the graph row by row).
    const during = await run(best.batchSize, best.parallelism, { buildIndexAfterLoad: false });
    console.log(row(`index during load (b${best.batchSize} p${best.parallelism})`, during));
    console.log(`\nbest: batch ${best.batchSize}, parallelism ${best.parallelism}: ${Math.round(best.result.chunksPerSecond)} chunks/s including the index build ` +
      `(${Math.round(best.result.chunksCopied / best.result.copySeconds)} chunks/s copy alone), ${best.result.chunksSource} chunks`);

    const table = `bench_killed`;
    const killed = await runnerKilledScenario({
      from,
      to: parseStoreSpec('--to', { name: 'pgvector', url: server.url, table }),
      stateDir: join(root, table),
      batchSize: Math.min(best.batchSize, 500), // smaller batches: more points to be killed at
      parallelism: best.parallelism,
      seed: 10,
    });
    const r = killed.result;
    console.log(`\nkilled twice and resumed (batch ${r.batchSize}, parallelism ${r.parallelism}):`);
    for (const line of killed.injected) console.log(`  ${line}`);
    console.log(
      `  final run: resumed ${r.resumed} of ${r.batches} batches, copied ${r.chunksCopied}; validation: ${r.ok ? 'ZERO LOSS' : 'LOSS'} ` +
        `(source ${r.chunksSource}, target ${r.chunksTarget}, missing ${r.missing}, mismatched ${r.mismatched}, duplicates ${r.duplicates}, orphans ${r.orphans}, ` +
        `checksum ${r.checksumOk ? 'equal' : 'different'}, max |Δ| ${r.maxVectorDelta}, top-${r.k} agreement ${r.queryAgreement.toFixed(3)})`,
    );
    if (!r.ok) process.exitCode = 1;
  } finally {
    await server.dispose();
    rmSync(root, { recursive: true, force: true });
  }
  if (!existsSync(SOURCE_DIR)) process.exitCode = 1;
}

await main();
