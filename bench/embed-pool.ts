/**
 * Embedding throughput: USE-lite in this thread vs a worker pool of 1 and of N workers, on
 * distinct SQuAD evidence paragraphs from golden/squad-dev. `npm run bench:embed-pool`
 * [-- --texts 400 --workers 2].
 *
 * Each configuration first embeds other paragraphs on every worker, so model loading is
 * reported apart ("load s") and not counted in embeddings/s. Two call shapes are timed: one
 * call with every text (the semantic chunker embeds a document's windows in one call) and
 * calls of 64 texts in sequence (the dense retriever's index batches). The vectors of every
 * configuration are compared with the in-thread ones. "cores busy" is CPU time over wall time
 * during the one call: near N when N workers really ran at once, lower when other processes
 * took the cores (report the load average with the figures).
 */
import { availableParallelism, loadavg } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PooledEmbedder } from '../src/embed/pool.ts';
import type { Embedder } from '../src/embed/types.ts';
import { UseLiteEmbedder } from '../src/embed/use-lite.ts';

const BATCH = 16; // UseLiteEmbedder's default batch, and the pool's slice
const INDEX_CALL = 64; // DenseRetriever's default texts per embedDocuments call

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} needs a whole number ≥ 1`);
  return value;
}

const count = option('texts', 400);
const workers = option('workers', Math.max(2, availableParallelism()));

const lines = readFileSync(join(import.meta.dirname, '..', 'golden', 'squad-dev', 'questions.jsonl'), 'utf8').trim().split('\n');
const paragraphs = [
  ...new Set(lines.flatMap((l) => (JSON.parse(l) as { evidence: { text: string }[] }).evidence.map((e) => e.text))),
];
if (paragraphs.length < count + BATCH * workers) throw new Error(`only ${paragraphs.length} distinct paragraphs; use --texts below that`);
const texts = paragraphs.slice(0, count);
// Warm-up texts differ from the measured ones: one slice per worker loads every model copy.
const warmup = paragraphs.slice(count, count + BATCH * workers);

interface Row {
  name: string;
  loadSeconds: number;
  oneCall: number;
  /** CPU seconds per wall second during the one call: how many cores it kept busy. */
  cores: number;
  /** CPU milliseconds per embedding in the one call: what contention does not change much. */
  cpuMsPerText: number;
  calls64: number;
  maxDiff: number;
}

/** Wall seconds, and CPU seconds of this process (all its threads, workers included). */
async function timed<T>(fn: () => Promise<T>): Promise<{ seconds: number; cpuSeconds: number; value: T }> {
  const t = performance.now();
  const cpu = process.cpuUsage();
  const value = await fn();
  const used = process.cpuUsage(cpu);
  return { seconds: (performance.now() - t) / 1000, cpuSeconds: (used.user + used.system) / 1e6, value };
}

async function inCalls(e: Embedder, size: number): Promise<Float32Array[]> {
  const out: Float32Array[] = [];
  for (let i = 0; i < texts.length; i += size) out.push(...(await e.embedDocuments(texts.slice(i, i + size))));
  return out;
}

function maxAbsDiff(a: readonly Float32Array[], b: readonly Float32Array[]): number {
  let m = 0;
  a.forEach((v, i) => v.forEach((x, d) => (m = Math.max(m, Math.abs(x - (b[i] as Float32Array)[d]!)))));
  return m;
}

let reference: Float32Array[] | undefined;

async function measure(name: string, e: Embedder): Promise<Row> {
  try {
    const load = await timed(() => e.embedDocuments(warmup));
    const one = await timed(() => e.embedDocuments(texts));
    const chunked = await timed(() => inCalls(e, INDEX_CALL));
    reference ??= one.value;
    return {
      name,
      loadSeconds: load.seconds,
      oneCall: texts.length / one.seconds,
      cores: one.cpuSeconds / one.seconds,
      cpuMsPerText: (one.cpuSeconds * 1000) / texts.length,
      calls64: texts.length / chunked.seconds,
      maxDiff: Math.max(maxAbsDiff(one.value, reference), maxAbsDiff(chunked.value, reference)),
    };
  } finally {
    await e.close?.();
  }
}

const pool = (size: number): PooledEmbedder =>
  new PooledEmbedder({ name: 'use-lite', options: { batchSize: BATCH } }, { id: 'use-lite', dimensions: 512, size, sliceSize: BATCH });

console.log(
  `${texts.length} SQuAD paragraphs (mean ${Math.round(texts.reduce((s, t) => s + t.length, 0) / texts.length)} chars), ` +
    `${availableParallelism()} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')}`,
);
const rows = [await measure('in-thread', new UseLiteEmbedder(BATCH)), await measure('pool × 1', pool(1))];
rows.push(await measure(`pool × ${workers}`, pool(workers)));
const base = rows[0] as Row;
const header = ['embedder', 'warm-up s', `1 call emb/s`, 'speedup', 'cores busy', 'CPU ms/emb', `calls of ${INDEX_CALL} emb/s`, 'speedup', 'max |Δ| vs in-thread'];
const cells = [
  header,
  ...rows.map((r) => [
    r.name,
    r.loadSeconds.toFixed(2),
    r.oneCall.toFixed(1),
    `${(r.oneCall / base.oneCall).toFixed(2)}×`,
    r.cores.toFixed(2),
    r.cpuMsPerText.toFixed(0),
    r.calls64.toFixed(1),
    `${(r.calls64 / base.calls64).toFixed(2)}×`,
    r.maxDiff.toExponential(1),
  ]),
];
const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
for (const r of cells) console.log(r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
console.log(`load average after: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
