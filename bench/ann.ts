/**
 * Vector-store benchmark: query latency and recall@10 of every store (no assertions).
 *
 *   npx tsx bench/ann.ts [--golden DIR] [--r-manuals DIR] [--max-sentences N] [--queries N] [--flat-n N (0 skips)]
 *
 * 1. Flat search on `--flat-n` (100k) random 512-d unit vectors: faiss-flat vs the JS exact store.
 * 2. Real embeddings: USE-lite vectors of real sentences (the evidence passages of a golden set,
 *    by default the bundled SQuAD 2.0 dev paragraphs, then R manual HTML from r-doc-html when
 *    installed) queried with the set's real questions. Embeddings are
 *    cached under .cache/ann-bench/, so only the first run embeds (~35 sentences/s on 2 cores).
 *    HNSW stores are swept over efSearch; recall is against the exact store.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Bench } from 'tinybench';
import { UseLiteEmbedder } from '../src/embed/use-lite.ts';
import { loadGoldenSet } from '../src/evaluate/golden.ts';
import { l2normalize } from '../src/embed/vector.ts';
import { ExactStore } from '../src/store/exact.ts';
import { FaissFlatStore, FaissHnswStore } from '../src/store/faiss.ts';
import { HnswlibStore } from '../src/store/hnswlib.ts';
import type { VectorIndex as VectorStore, VectorRecord } from '../src/store/types.ts';

const root = resolve(import.meta.dirname, '..');
const { values: args } = parseArgs({
  options: {
    golden: { type: 'string', default: resolve(root, 'golden/squad-dev') },
    'r-manuals': { type: 'string', default: '/usr/share/R/doc/manual' },
    'max-sentences': { type: 'string', default: '8000' },
    queries: { type: 'string', default: '300' },
    'flat-n': { type: 'string', default: '100000' },
  },
});
const cacheDir = join(root, '.cache', 'ann-bench');
const EF_SWEEP = [16, 32, 48, 64, 96, 128, 256];
const TARGET_RECALL = 0.95;

// ---------- data ----------

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

function sentences(paragraph: string): string[] {
  const out: string[] = [];
  // Collapse line breaks first: the segmenter ends a sentence at every newline (UAX #29).
  for (const { segment } of segmenter.segment(paragraph.replace(/\s+/g, ' '))) {
    const s = segment.trim();
    if (s.length >= 30 && s.length <= 400 && s.split(' ').length >= 5) out.push(s);
  }
  return out;
}

/** Sentences of a golden set's distinct evidence passages, and all its questions. */
async function readGolden(dir: string): Promise<{ sentences: string[]; questions: string[] }> {
  const set = await loadGoldenSet(dir);
  const passages = [...new Set(set.questions.flatMap((q) => q.evidence.map((e) => e.text)))];
  return {
    sentences: passages.flatMap(sentences),
    questions: set.questions.map((q) => q.question.trim()),
  };
}

/** Prose of the R manuals' HTML: code blocks dropped, block elements as paragraph breaks. */
function readRManuals(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', nbsp: ' ', rsquo: "'", lsquo: "'", ldquo: '"', rdquo: '"' };
  return readdirSync(dir)
    .filter((f) => f.endsWith('.html'))
    .sort()
    .flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .replace(/<(pre|script|style|head)[\s\S]*?<\/\1>/gi, ' ')
        .replace(/<\/?(p|li|dd|dt|h\d|div|tr|table|br)\b[^>]*>/gi, '\n\n')
        .replace(/<[^>]+>/g, '')
        .replace(/&(#\d+|[a-z]+);/gi, (m, e: string) =>
          e.startsWith('#') ? String.fromCodePoint(Number(e.slice(1))) : (entities[e.toLowerCase()] ?? m),
        )
        .split(/\n\s*\n/)
        .flatMap(sentences),
    );
}

/** USE-lite embeddings, cached on disk per batch of texts (an interrupted run keeps its progress). */
async function embedCached(embedder: UseLiteEmbedder, texts: readonly string[]): Promise<Float32Array[]> {
  mkdirSync(cacheDir, { recursive: true });
  const out: Float32Array[] = [];
  let embedded = 0;
  const started = performance.now();
  for (let i = 0; i < texts.length; i += 500) {
    const batch = texts.slice(i, i + 500);
    const key = createHash('sha256').update(embedder.id).update(JSON.stringify(batch)).digest('hex').slice(0, 24);
    const file = join(cacheDir, `${embedder.id}-${key}.f32`);
    let flat: Float32Array;
    if (existsSync(file)) {
      const bytes = readFileSync(file);
      flat = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
    } else {
      const vectors = await embedder.embedDocuments(batch);
      flat = new Float32Array(vectors.length * embedder.dimensions);
      vectors.forEach((v, j) => flat.set(v, j * embedder.dimensions));
      writeFileSync(file, flat);
      embedded += batch.length;
      process.stdout.write(`  embedded ${i + batch.length}/${texts.length}\r`);
    }
    for (let j = 0; j < batch.length; j++) {
      out.push(flat.slice(j * embedder.dimensions, (j + 1) * embedder.dimensions));
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (embedded) console.log(`  embedded ${embedded} texts in ${seconds.toFixed(0)} s (${(embedded / seconds).toFixed(1)}/s)`);
  return out;
}

function randomUnitVectors(count: number, dimensions: number): Float32Array[] {
  return Array.from({ length: count }, () => {
    const v = new Float32Array(dimensions);
    for (let i = 0; i < dimensions; i++) v[i] = Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
    return l2normalize(v);
  });
}

// ---------- measuring ----------

interface Latency {
  mean: number;
  p50: number;
  p99: number;
  samples: number;
}

/** Query latency (ms), cycling through the queries, with tinybench. */
async function latency(store: VectorStore, queries: readonly Float32Array[], time = 1500): Promise<Latency> {
  let i = 0;
  const bench = new Bench({ time, warmupTime: 200 });
  bench.add(store.id, async () => {
    await store.query(queries[i++ % queries.length] as Float32Array, 10);
  });
  await bench.run();
  const result = bench.tasks[0]?.result;
  if (result?.state !== 'completed') throw new Error(`${store.id}: benchmark ${result?.state ?? 'missing'}`);
  const { mean, p50, p99, samplesCount } = result.latency;
  return { mean, p50, p99, samples: samplesCount };
}

async function recallAt10(store: VectorStore, truth: readonly Set<string>[], queries: readonly Float32Array[]) {
  let found = 0;
  for (let i = 0; i < queries.length; i++) {
    for (const hit of await store.query(queries[i] as Float32Array, 10)) if (truth[i]?.has(hit.id)) found++;
  }
  return found / (queries.length * 10);
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await work();
  return [value, (performance.now() - started) / 1000];
}

const ms = (x: number) => `${x.toFixed(3)} ms`;
const fmt = (l: Latency) => `mean ${ms(l.mean)}  p50 ${ms(l.p50)}  p99 ${ms(l.p99)}  (${l.samples} queries)`;

// ---------- 1. flat scan at 100k x 512 ----------

async function flatScan(n: number): Promise<void> {
  console.log(`\n== Flat search, ${n.toLocaleString('en')} random 512-d unit vectors, k = 10 ==`);
  const records: VectorRecord[] = randomUnitVectors(n, 512).map((vector, i) => ({ id: `r${i}`, vector }));
  const queries = randomUnitVectors(50, 512);
  const faiss = new FaissFlatStore(512);
  const [, addSeconds] = await timed(() => faiss.upsert(records));
  console.log(`faiss-flat  add ${addSeconds.toFixed(1)} s   query ${fmt(await latency(faiss, queries, 3000))}`);
  await faiss.close();
  const exact = new ExactStore(512);
  await exact.upsert(records);
  console.log(`exact (JS)  query ${fmt(await latency(exact, queries, 3000))}`);
  await exact.close();
}

// ---------- 2. ANN on real embeddings ----------

async function annOnRealEmbeddings(): Promise<void> {
  const maxSentences = Number(args['max-sentences']);
  const golden = await readGolden(args.golden);
  const corpus = [...new Set([...golden.sentences, ...readRManuals(args['r-manuals'])])].slice(0, maxSentences);
  const fromGolden = Math.min(new Set(golden.sentences).size, corpus.length);
  const allQuestions = [...new Set(golden.questions)];
  const step = Math.max(1, Math.floor(allQuestions.length / Number(args.queries)));
  const questions = allQuestions.filter((_, i) => i % step === 0).slice(0, Number(args.queries));
  console.log(
    `\n== ANN on real embeddings: ${corpus.length} sentences (${fromGolden} from ${args.golden}, ${corpus.length - fromGolden} R manuals), ` +
      `${questions.length} of its questions as queries, USE-lite 512-d, k = 10 ==`,
  );

  const embedder = new UseLiteEmbedder(32);
  const vectors = await embedCached(embedder, corpus);
  const queries = await embedCached(embedder, questions);
  await embedder.close?.();
  const records = vectors.map((vector, i) => ({ id: `s${i}`, vector }));

  const exact = new ExactStore(512);
  await exact.upsert(records);
  const truth = await Promise.all(queries.map(async (q) => new Set((await exact.query(q, 10)).map((h) => h.id))));
  console.log(`exact (JS)   query ${fmt(await latency(exact, queries))}`);
  const flat = new FaissFlatStore(512);
  await flat.upsert(records);
  console.log(`faiss-flat   query ${fmt(await latency(flat, queries))}   recall@10 ${(await recallAt10(flat, truth, queries)).toFixed(3)}`);
  await flat.close();

  const candidates: [string, () => HnswlibStore | FaissHnswStore][] = [
    ['hnswlib M=16 efConstruction=200', () => new HnswlibStore(512)],
    ['faiss-hnsw HNSW32 efConstruction=40', () => new FaissHnswStore(512)],
  ];
  for (const [label, create] of candidates) {
    const store = create();
    const [, buildSeconds] = await timed(() => store.upsert(records));
    console.log(`\n${label}: build ${buildSeconds.toFixed(1)} s`);
    let chosen: string | undefined;
    for (const ef of EF_SWEEP) {
      store.setEfSearch(ef);
      const recall = await recallAt10(store, truth, queries);
      const l = await latency(store, queries, 1000);
      console.log(`  efSearch ${String(ef).padStart(3)}  recall@10 ${recall.toFixed(3)}  ${fmt(l)}`);
      if (!chosen && recall >= TARGET_RECALL) chosen = `efSearch ${ef}: recall@10 ${recall.toFixed(3)} at ${ms(l.mean)} a query`;
    }
    console.log(`  => smallest efSearch with recall@10 >= ${TARGET_RECALL}: ${chosen ?? 'none in the sweep'}`);
    await store.close();
  }
  await exact.close();
}

// Loading a FAISS store sets OMP_NUM_THREADS=1 unless it is set (see src/store/faiss.ts).
console.log(`ann bench: node ${process.version}, ${process.arch}, OMP_NUM_THREADS=${process.env.OMP_NUM_THREADS ?? '(unset: 1 for FAISS)'}`);
await annOnRealEmbeddings();
if (Number(args['flat-n']) > 0) await flatScan(Number(args['flat-n']));
