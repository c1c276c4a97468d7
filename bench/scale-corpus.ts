/**
 * Scale benchmark on real documents: the R manuals (the 2,415-page reference manual and the seven
 * other manuals from r-doc-pdf) through the real pipeline stages, one stage at a time so each is
 * timed on its own: extract (the router, as the default pipeline), chunk (sentence), embed
 * (USE-lite through the embedding cache), index (faiss-flat saved to a folder); then query latency
 * at that size (embed the question + search), peak RSS and the index size on disk (no assertions).
 *
 *   npm run bench:scale-corpus -- [--manuals /usr/share/R/doc/manual] [--embed-budget 600]
 *     [--embed-workers 2] [--out reports/scale/corpus.json]
 *
 * Extraction and chunking cover every page. Embedding is the bound (USE-lite runs at a few
 * passages per second per core), so it runs for at most --embed-budget seconds over the chunks in
 * a fixed shuffled order, and the index holds the chunks embedded so far; the cache
 * (.cache/embeddings) makes a re-run fast, and a larger budget extends the same order.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createChunker } from '../src/chunk/registry.ts';
import type { Chunk } from '../src/chunk/types.ts';
import { CachedEmbedder, DEFAULT_CACHE_DIR } from '../src/embed/cache.ts';
import { createPooledEmbedder } from '../src/embed/registry.ts';
import { DEFAULT_PIPELINE } from '../src/pipeline/defaults.ts';
import { chunkSentences } from '../src/retrieve/maxsim.ts';
import { createExtractor } from '../src/extract/registry.ts';
import type { ExtractedDocument } from '../src/extract/types.ts';
import { seededShuffle } from '../src/stats/random.ts';
import { createStore } from '../src/store/registry.ts';
import type { VectorRecord, VectorStore } from '../src/store/types.ts';
import { RssSampler } from '../src/suite/memory.ts';
import { dirSize } from './lib/dir-size.ts';
import { summariseLatency, type LatencySummary } from './lib/latency.ts';
import { R_QUESTIONS } from './lib/r-questions.ts';
import { machineInfo, ResultsFile, type MachineInfo } from './lib/results-file.ts';
import { repoRoot } from './lib/sentence-vectors.ts';

const { values: args } = parseArgs({
  options: {
    manuals: { type: 'string', default: '/usr/share/R/doc/manual' },
    'embed-budget': { type: 'string', default: '600' },
    'embed-workers': { type: 'string', default: '2' },
    out: { type: 'string', default: join(repoRoot, 'reports', 'scale', 'corpus.json') },
  },
});
const embedBudget = Number(args['embed-budget']);
const EMBED_BATCH = 128;
const INDEX_BATCH = 10_000;

interface StageFigures {
  seconds: number;
  items: number;
  perSecond: number;
}

interface CorpusDocument {
  schema: 'ragbench-scale-corpus/1';
  startedAt: string;
  command: string;
  machine: MachineInfo;
  pipeline: { extractor: string; chunker: string; embedder: string; store: string; embedWorkers: number };
  documents: { id: string; file: string; pages: number; characters: number; extractor: string; extractSeconds: number; chunks: number }[];
  extract?: StageFigures & { pages: number; pagesPerSecond: number };
  chunk?: StageFigures & { meanChunkCharacters: number };
  /**
   * The shipped pipeline (src/pipeline/defaults.ts) chunks into paragraphs and embeds every sentence
   * of them (maxsim): its chunk and vector counts on the same text, counted, not embedded.
   */
  shipped?: { chunker: string; paragraphs: number; sentenceVectors: number; seconds: number };
  embed?: {
    chunksTotal: number;
    chunksEmbedded: number;
    budgetSeconds: number;
    wallSeconds: number;
    fromCache: number;
    byModel: number;
    /** Texts the model embedded per second of model time (this run's cache misses); undefined when all came from the cache. */
    modelPerSecond?: number;
    stoppedBy: 'done' | 'budget';
  };
  index?: StageFigures & { vectors: number; saveSeconds: number; diskBytes: number };
  query?: { k: number; questions: number; embedQuery: LatencySummary; search: LatencySummary; total: LatencySummary };
  peakRssBytes?: number;
}

const rate = (items: number, seconds: number) => Math.round((items / Math.max(seconds, 1e-3)) * 10) / 10;
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The R manuals as PDFs: refman plus the other manuals (fullrefman repeats refman and is left out). */
function manualFiles(dir: string): { id: string; file: string }[] {
  if (!existsSync(join(dir, 'refman.pdf'))) throw new Error(`${dir}/refman.pdf is missing: install r-doc-pdf (scripts/setup-debian.sh)`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.pdf') && f !== 'fullrefman.pdf')
    .sort()
    .map((f) => ({ id: basename(f, '.pdf'), file: join(dir, f) }));
}

const workers = Number(args['embed-workers']);
const results = new ResultsFile<CorpusDocument>(resolve(args.out), {
  schema: 'ragbench-scale-corpus/1',
  startedAt: new Date().toISOString(),
  command: `npx tsx bench/scale-corpus.ts ${process.argv.slice(2).join(' ')}`.trim(),
  machine: machineInfo(),
  pipeline: { extractor: 'router', chunker: 'sentence', embedder: 'use-lite', store: 'faiss-flat (dir)', embedWorkers: workers },
  documents: [],
});
const rss = new RssSampler();

// ---- extract ----
const extractor = createExtractor('router');
const docs: ExtractedDocument[] = [];
let t = performance.now();
for (const { id, file } of manualFiles(args.manuals)) {
  const started = performance.now();
  const doc = await extractor.extract(file, id);
  const extractSeconds = (performance.now() - started) / 1000;
  docs.push(doc);
  results.update((r) => void r.documents.push({ id, file, pages: doc.pages.length, characters: doc.text.length, extractor: doc.route?.extractor ?? doc.extractor, extractSeconds: round(extractSeconds), chunks: 0 }));
  console.log(`extract ${id}: ${doc.pages.length} pages in ${extractSeconds.toFixed(1)} s (${doc.route?.extractor ?? doc.extractor})`);
}
await extractor.close?.();
const pages = docs.reduce((s, d) => s + d.pages.length, 0);
let seconds = (performance.now() - t) / 1000;
results.update((r) => (r.extract = { seconds: round(seconds), items: docs.length, perSecond: rate(docs.length, seconds), pages, pagesPerSecond: rate(pages, seconds) }));
console.log(`extract: ${docs.length} PDFs, ${pages} pages in ${seconds.toFixed(1)} s (${rate(pages, seconds)} pages/s)`);

// ---- chunk ----
const chunker = createChunker({ name: 'sentence' });
const chunks: Chunk[] = [];
t = performance.now();
for (const doc of docs) {
  const docChunks = await chunker.chunk(doc);
  chunks.push(...docChunks);
  results.update((r) => {
    const entry = r.documents.find((d) => d.id === doc.docId);
    if (entry) entry.chunks = docChunks.length;
  });
}
seconds = (performance.now() - t) / 1000;
const meanChunkCharacters = Math.round(chunks.reduce((s, c) => s + c.text.length, 0) / chunks.length);
results.update((r) => (r.chunk = { seconds: round(seconds), items: chunks.length, perSecond: rate(chunks.length, seconds), meanChunkCharacters }));
console.log(`chunk (${chunker.id}): ${chunks.length} chunks in ${seconds.toFixed(1)} s, mean ${meanChunkCharacters} characters`);

// ---- the shipped pipeline's counts (nothing embedded) ----
{
  const paragraphChunker = createChunker({ ...DEFAULT_PIPELINE.chunker });
  const started = performance.now();
  let paragraphs = 0;
  let sentenceVectors = 0;
  for (const doc of docs) {
    for (const chunk of await paragraphChunker.chunk(doc)) {
      paragraphs++;
      sentenceVectors += chunkSentences(chunk).length;
    }
  }
  const countSeconds = round((performance.now() - started) / 1000);
  results.update((r) => (r.shipped = { chunker: paragraphChunker.id, paragraphs, sentenceVectors, seconds: countSeconds }));
  console.log(`shipped pipeline (${paragraphChunker.id}, maxsim): ${paragraphs} paragraphs, ${sentenceVectors} sentence vectors to embed`);
}
docs.length = 0; // the texts are no longer needed

// ---- embed (bounded) ----
const embedder = new CachedEmbedder(createPooledEmbedder('use-lite', {}, { size: workers }), { dir: join(repoRoot, DEFAULT_CACHE_DIR) });
// A fixed pseudo-random order of the chunks, so a budget embeds a sample of every manual and a bigger one extends it.
const order = seededShuffle(chunks, 11);
const records: VectorRecord[] = [];
t = performance.now();
let stoppedBy: 'done' | 'budget' = 'done';
for (let i = 0; i < order.length; i += EMBED_BATCH) {
  if ((performance.now() - t) / 1000 > embedBudget) {
    stoppedBy = 'budget';
    break;
  }
  const batch = order.slice(i, i + EMBED_BATCH);
  const vectors = await embedder.embedDocuments(batch.map((c) => c.text));
  batch.forEach((c, j) => records.push({ id: c.id, vector: vectors[j] as Float32Array, metadata: { documentId: c.docId } }));
  if ((i / EMBED_BATCH) % 10 === 0) process.stdout.write(`  embedded ${records.length}/${order.length} (${((performance.now() - t) / 1000).toFixed(0)} s)\r`);
}
seconds = (performance.now() - t) / 1000;
const stats = embedder.stats();
results.update(
  (r) =>
    (r.embed = {
      chunksTotal: chunks.length,
      chunksEmbedded: records.length,
      budgetSeconds: embedBudget,
      wallSeconds: round(seconds),
      fromCache: stats.hits,
      byModel: stats.misses,
      ...(stats.misses > 0 && { modelPerSecond: rate(stats.misses, stats.modelSeconds) }),
      stoppedBy,
    }),
);
console.log(
  `\nembed: ${records.length} of ${chunks.length} chunks in ${seconds.toFixed(0)} s (${stats.hits} from the cache, ${stats.misses} by the model` +
    `${stats.misses > 0 ? ` at ${rate(stats.misses, stats.modelSeconds)}/s with ${workers} workers` : ''}); stopped: ${stoppedBy}`,
);

// ---- index ----
const dir = join(repoRoot, '.cache', 'scale-corpus', 'index');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });
const store = (await createStore('faiss-flat', embedder.dimensions, { dir })) as VectorStore & { flush(): Promise<void> };
t = performance.now();
for (let i = 0; i < records.length; i += INDEX_BATCH) await store.upsert(records.slice(i, i + INDEX_BATCH));
seconds = (performance.now() - t) / 1000;
const saveStarted = performance.now();
await store.flush();
const saveSeconds = (performance.now() - saveStarted) / 1000;
results.update((r) => (r.index = { seconds: round(seconds, 3), items: records.length, perSecond: rate(records.length, seconds), vectors: records.length, saveSeconds: round(saveSeconds), diskBytes: dirSize(dir) }));
console.log(`index: ${records.length} vectors in ${seconds.toFixed(2)} s; saved in ${saveSeconds.toFixed(2)} s, ${(dirSize(dir) / 2 ** 20).toFixed(1)} MiB on disk`);

// ---- query ----
await embedder.embedQuery('warm-up: load the query model'); // the first query loads the model
const embedTimes: number[] = [];
const searchTimes: number[] = [];
const totalTimes: number[] = [];
for (const question of R_QUESTIONS) {
  const t0 = performance.now();
  const vector = await embedder.embedQuery(question);
  const t1 = performance.now();
  await store.query(vector, 10);
  const t2 = performance.now();
  embedTimes.push(t1 - t0);
  searchTimes.push(t2 - t1);
  totalTimes.push(t2 - t0);
}
results.update(
  (r) =>
    (r.query = { k: 10, questions: R_QUESTIONS.length, embedQuery: summariseLatency(embedTimes), search: summariseLatency(searchTimes), total: summariseLatency(totalTimes) }),
);
const total = summariseLatency(totalTimes);
console.log(`query (k 10, ${R_QUESTIONS.length} questions, ${records.length} vectors): p50 ${total.p50Ms} ms, p95 ${total.p95Ms} ms (search alone p50 ${summariseLatency(searchTimes).p50Ms} ms)`);

await store.close();
await embedder.close?.();
const peak = rss.stop();
results.update((r) => (r.peakRssBytes = peak));
console.log(`peak RSS ${(peak / 2 ** 30).toFixed(2)} GiB; written: ${args.out}`);
process.exit(0);
