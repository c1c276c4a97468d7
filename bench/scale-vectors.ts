/**
 * Scale benchmark on synthetic vectors (no embedding cost): every store at 100k and 1M clustered
 * 512-d unit vectors. Per store and size: insert time and rate, memory (this process's RSS delta
 * for in-process stores, the server's RSS / PSS for Chroma and PostgreSQL), size on disk where the
 * store keeps one, recall@10 against exact search, query latency one at a time (no assertions).
 *
 *   npm run bench:scale-vectors -- [--sizes 100000,1000000] [--stores exact,faiss-flat,…]
 *     [--budget 900] [--query-budget 120] [--queries 300] [--out reports/scale/vectors.json] [--append]
 *
 * Each store and size runs in a worker process of its own (bench/lib/scale-vector-worker.ts), one
 * at a time. Inserts stop between upsert calls once `--budget` seconds are spent, and the entry
 * says how far they got ("partial"); a worker past budget + query budget + 10 min is killed.
 * Results are rewritten to `--out` after every entry, so a stopped run keeps what it measured.
 */
import { existsSync, readFileSync } from 'node:fs';
import { freemem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createStore } from '../src/store/registry.ts';
import { DEFAULT_SPEC } from './lib/clustered-vectors.ts';
import { repoRoot } from './lib/sentence-vectors.ts';
import { machineInfo, ResultsFile } from './lib/results-file.ts';
import { SCALE_STORES } from './lib/scale-stores.ts';
import { scaleVectorsDocument, type ProgressPoint, type ScaleVectorEntry, type ScaleVectorsDocument } from '../src/scale/vectors-schema.ts';
import { runWorker } from './lib/worker-process.ts';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '100000,1000000' },
    stores: { type: 'string', default: SCALE_STORES.join(',') },
    budget: { type: 'string', default: '900' },
    'query-budget': { type: 'string', default: '120' },
    queries: { type: 'string', default: '300' },
    out: { type: 'string', default: join(repoRoot, 'reports', 'scale', 'vectors.json') },
    /** Keep the entries of an earlier run in `--out` for the stores and sizes this run does not measure. */
    append: { type: 'boolean', default: false },
  },
});
const sizes = args.sizes.split(',').map(Number);
const stores = args.stores.split(',');
const budget = Number(args.budget);
const queryBudget = Number(args['query-budget']);
const queries = Number(args.queries);
const worker = join(repoRoot, 'bench', 'lib', 'scale-vector-worker.ts');
const d = DEFAULT_SPEC.dimensions;

const results = new ResultsFile<ScaleVectorsDocument>(resolve(args.out), {
  schema: 'ragbench-scale-vectors/1',
  startedAt: new Date().toISOString(),
  command: `npx tsx bench/scale-vectors.ts ${process.argv.slice(2).join(' ')}`.trim(),
  machine: machineInfo(),
  data: { dimensions: d, clusters: DEFAULT_SPEC.clusters, spread: DEFAULT_SPEC.spread, seed: DEFAULT_SPEC.seed, queries },
  entries: keptEntries(),
});

function keptEntries(): ScaleVectorEntry[] {
  if (!args.append || !existsSync(args.out)) return [];
  const earlier = scaleVectorsDocument.parse(JSON.parse(readFileSync(args.out, 'utf8')));
  return earlier.entries.filter((e) => !(sizes.includes(e.target) && (stores.includes(e.store) || e.store === 'pinecone')));
}
const record = (entry: ScaleVectorEntry) => results.update((doc) => void doc.entries.push(entry));
const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;

/** Pinecone is a hosted service: without credentials the store refuses before any request. */
async function pineconeEntries(): Promise<void> {
  try {
    const store = await createStore('pinecone', d, {});
    await store.close();
    for (const target of sizes) record({ store: 'pinecone', target, status: 'skipped', reason: 'credentials present, but a hosted service is out of scope for this bench', inserted: 0, progress: [], budgetSeconds: budget });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    for (const target of sizes) record({ store: 'pinecone', target, status: 'skipped', reason, inserted: 0, progress: [], budgetSeconds: budget });
  }
}

console.log(`scale-vectors: ${sizes.join(', ')} vectors x ${d}-d, stores ${stores.join(', ')}; insert budget ${budget} s, query budget ${queryBudget} s; results -> ${args.out}`);
const prepared = await runWorker(worker, ['prepare', '--n', String(Math.max(...sizes)), '--sizes', sizes.join(','), '--queries', String(queries)], 3600);
if (prepared.code !== 0) throw new Error(`preparing the data failed:\n${prepared.stderrTail}`);
await pineconeEntries();

for (const target of sizes) {
  for (const store of stores) {
    // The worker holds the data (4 bytes x d a vector) and the store at least as much again.
    const needed = 2.5 * target * d * 4;
    if (freemem() < needed) {
      record({ store, target, status: 'not-run', reason: `not run: ${gib(freemem())} free memory, ~${gib(needed)} needed`, inserted: 0, progress: [], budgetSeconds: budget });
      continue;
    }
    console.log(`\n== ${store} at ${target.toLocaleString('en')} ==`);
    let last: ProgressPoint | undefined;
    const outcome = await runWorker(
      worker,
      ['measure', '--store', store, '--n', String(target), '--queries', String(queries), '--budget', String(budget), '--query-budget', String(queryBudget)],
      budget + queryBudget + 600,
      (event) => {
        if (event.event !== 'progress') return;
        last = event as unknown as ProgressPoint;
        if (last.inserted % (target / 10) < 10_000 || last.inserted === target) {
          console.log(`  ${last.inserted.toLocaleString('en')} inserted in ${last.seconds.toFixed(1)} s`);
        }
      },
    );
    const result = outcome.events.find((e) => e.event === 'result')?.entry as ScaleVectorEntry | undefined;
    if (result) {
      record(result);
      const m = result.memory;
      console.log(
        `  ${result.status}: ${result.inserted.toLocaleString('en')} in ${result.buildSeconds} s (${result.insertPerSecond}/s); ` +
          `memory ${m ? `${m.kind} +${gib(m.deltaBytes)} (after ${gib(m.afterBytes)})` : '-'}; disk ${result.disk ? gib(result.disk.bytes) : '-'}; ` +
          `recall@10 ${result.recallAt10}; query p50 ${result.query?.p50Ms} ms p95 ${result.query?.p95Ms} ms (${result.query?.samples} queries)`,
      );
      continue;
    }
    const progress = outcome.events.filter((e) => e.event === 'progress') as unknown as ProgressPoint[];
    const reached = last ? `${last.inserted.toLocaleString('en')} inserted in ${last.seconds.toFixed(0)} s` : 'nothing inserted';
    const why = outcome.killedAfterSeconds !== undefined ? `killed after ${outcome.killedAfterSeconds} s (over budget)` : `worker exited with code ${outcome.code}: ${outcome.stderrTail.trim().split('\n').slice(-3).join(' | ')}`;
    record({ store, target, status: outcome.killedAfterSeconds !== undefined ? 'not-run' : 'failed', reason: `${why}; ${reached}`, inserted: last?.inserted ?? 0, progress, budgetSeconds: budget });
    console.log(`  ${why}; ${reached}`);
  }
}
console.log(`\nwritten: ${args.out}`);
