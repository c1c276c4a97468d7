/**
 * Chroma against a real server it starts itself: start time, upsert rate, query latency and
 * recall@10 against exact search, on USE-lite embeddings of real sentences (no assertions).
 *
 *   npx tsx bench/backends-chroma.ts [--golden DIR] [--n 3000] [--batch 500]
 *
 * Sentences come from the golden set's evidence passages (SQuAD 2.0 dev by default), queries are
 * its real questions. Embeddings are cached under .cache/backends-bench/, so only the first run
 * embeds (~35 sentences/s on 2 cores).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UseLiteEmbedder } from '../src/embed/use-lite.ts';
import { loadGoldenSet } from '../src/evaluate/golden.ts';
import { ChromaServer } from '../src/servers/chroma.ts';
import { ExactStore } from '../src/store/exact.ts';
import { createStore } from '../src/store/registry.ts';

const root = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    golden: { type: 'string', default: resolve(root, 'golden/squad-dev') },
    n: { type: 'string', default: '3000' },
    batch: { type: 'string', default: '500' },
  },
});
const cacheDir = join(root, '.cache', 'backends-bench');
const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

function sentences(paragraph: string): string[] {
  return [...segmenter.segment(paragraph.replace(/\s+/g, ' '))]
    .map((s) => s.segment.trim())
    .filter((s) => s.length >= 30 && s.length <= 400);
}

async function embedCached(embedder: UseLiteEmbedder, texts: readonly string[]): Promise<Float32Array[]> {
  mkdirSync(cacheDir, { recursive: true });
  const key = createHash('sha256').update(embedder.id).update(JSON.stringify(texts)).digest('hex').slice(0, 24);
  const file = join(cacheDir, `${embedder.id}-${key}.f32`);
  const d = embedder.dimensions;
  let flat: Float32Array;
  if (existsSync(file)) {
    const bytes = readFileSync(file);
    flat = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  } else {
    const started = performance.now();
    flat = new Float32Array(texts.length * d);
    for (let i = 0; i < texts.length; i += 256) {
      const vectors = await embedder.embedDocuments(texts.slice(i, i + 256));
      vectors.forEach((v, j) => flat.set(v, (i + j) * d));
      process.stdout.write(`  embedded ${Math.min(i + 256, texts.length)}/${texts.length}\r`);
    }
    writeFileSync(file, flat);
    console.log(`  embedded ${texts.length} texts in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  return Array.from({ length: texts.length }, (_, i) => flat.slice(i * d, (i + 1) * d));
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? Number.NaN;
}

const set = await loadGoldenSet(args.golden);
const texts = [...new Set(set.questions.flatMap((q) => q.evidence.flatMap((e) => sentences(e.text))))].slice(0, Number(args.n));
const questions = set.questions.map((q) => q.question.trim()).slice(0, 500);
const embedder = new UseLiteEmbedder();
const vectors = await embedCached(embedder, texts);
const queries = await embedCached(embedder, questions);
await embedder.close?.();
const records = vectors.map((vector, i) => ({ id: `s${i}`, vector, metadata: { documentId: `doc${i % 50}`, sentence: i } }));
console.log(`${records.length} sentences (${embedder.dimensions}-d USE-lite), ${queries.length} real questions`);

const server = await ChromaServer.create();
try {
  let started = performance.now();
  await server.start();
  console.log(`server start: ${(performance.now() - started).toFixed(0)} ms (to first heartbeat)`);
  const store = await createStore('chroma', embedder.dimensions, { url: server.url, batchSize: Number(args.batch) });

  started = performance.now();
  await store.upsert(records);
  let seconds = (performance.now() - started) / 1000;
  console.log(`upsert: ${records.length} in ${seconds.toFixed(2)} s = ${(records.length / seconds).toFixed(0)} vectors/s (batches of ${args.batch})`);
  started = performance.now();
  await store.upsert(records);
  seconds = (performance.now() - started) / 1000;
  console.log(`identical re-upsert: ${(records.length / seconds).toFixed(0)} vectors/s`);

  const truth = new ExactStore(embedder.dimensions);
  await truth.upsert(records);
  const times: number[] = [];
  let found = 0;
  for (const q of queries) {
    const t = performance.now();
    const hits = await store.query(q, 10);
    times.push(performance.now() - t);
    const want = new Set((await truth.query(q, 10)).map((h) => h.id));
    found += hits.filter((h) => want.has(h.id)).length;
  }
  times.sort((a, b) => a - b);
  console.log(
    `query k=10: median ${percentile(times, 0.5).toFixed(2)} ms, p95 ${percentile(times, 0.95).toFixed(2)} ms, p99 ${percentile(times, 0.99).toFixed(2)} ms over ${times.length}; recall@10 vs exact ${(found / (10 * queries.length)).toFixed(4)}`,
  );
  started = performance.now();
  const ids = await store.listIds();
  console.log(`listIds: ${ids.length} in ${(performance.now() - started).toFixed(0)} ms`);
  started = performance.now();
  const got = await store.get(ids.slice(0, 1000));
  console.log(`get 1000 (vectors + metadata): ${(performance.now() - started).toFixed(0)} ms (${got.length})`);
  started = performance.now();
  const deleted = await store.deleteByDocument('doc7');
  console.log(`deleteByDocument: ${deleted} records in ${(performance.now() - started).toFixed(0)} ms`);
  await store.close();
  started = performance.now();
  await server.stop();
  console.log(`server stop (SIGTERM): ${(performance.now() - started).toFixed(0)} ms`);
} finally {
  await server.stop();
  rmSync(server.dataDir, { recursive: true, force: true });
}
