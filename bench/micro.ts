/**
 * Micro-benchmarks of the hot paths (tinybench), on real data: the bundled golden set's PDFs.
 * Prints a table; asserts nothing. `npm run bench:micro`
 */
import os from 'node:os';
import { Bench } from 'tinybench';
import { createChunker } from '../src/chunk/registry.ts';
import { loadGoldenSet } from '../src/evaluate/golden.ts';
import { createExtractor } from '../src/extract/registry.ts';
import { UseLiteEmbedder } from '../src/embed/use-lite.ts';
import { l2normalize } from '../src/embed/vector.ts';
import { Bm25Retriever } from '../src/retrieve/bm25.ts';
import { createStore } from '../src/store/registry.ts';
import { NormalizedText, normalizeText } from '../src/text/normalize.ts';

const golden = await loadGoldenSet('golden/squad-dev');
const extractor = createExtractor('mupdf');
const docs = await Promise.all(golden.documents.map((d) => extractor.extract(d.file, d.id)));
const chunker = createChunker({ name: 'sentence' });
const chunks = (await Promise.all(docs.map((d) => chunker.chunk(d)))).flat();
const page = docs[0]?.pages[0]?.text ?? '';
const questions = golden.questions.slice(0, 200).map((q) => q.question);

const bm25 = new Bm25Retriever();
await bm25.index(chunks);
const embedder = new UseLiteEmbedder();
await embedder.embedQuery('warm up');
// 10k random unit vectors: the size of a mid-sized corpus, for the store's own search cost.
const store = await createStore('faiss-flat', 512);
const random = (): Float32Array => l2normalize(Float32Array.from({ length: 512 }, () => Math.random() - 0.5));
for (let i = 0; i < 10_000; i += 1000) await store.upsert(Array.from({ length: 1000 }, (_, j) => ({ id: `v${i + j}`, vector: random() })));
const probe = random();
const normalizedPage = new NormalizedText(page);

let qi = 0;
const nextQuestion = (): string => questions[qi++ % questions.length] as string;
const bench = new Bench({ time: 1000 });
bench
  .add(`normalizeText (one page, ${page.length} chars)`, () => void normalizeText(page))
  .add('NormalizedText.contains (an answer in a page)', () => void normalizedPage.contains('the Normans'))
  .add(`sentence chunker (one document, ${docs[0]?.text.length} chars)`, async () => void (await chunker.chunk(docs[0]!)))
  .add(`bm25 search (${chunks.length} chunks, k=10)`, async () => void (await bm25.search(nextQuestion(), 10)))
  .add('faiss-flat query (10k x 512, k=10)', async () => void (await store.query(probe, 10)))
  .add('use-lite embedQuery (one question)', async () => void (await embedder.embedQuery(nextQuestion())));
await bench.run();
console.log(`ragbench micro-benchmarks on ${os.cpus().length} x ${os.cpus()[0]?.model}, node ${process.version}`);
console.table(bench.table());
await store.close();
