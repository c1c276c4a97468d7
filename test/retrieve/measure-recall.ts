/**
 * Benchmark (prints numbers; not a test): USE-lite throughput, the embedding cache's speed-up,
 * and top-k answer-paragraph recall of BM25, USE-lite and their fusions on SQuAD dev questions
 * (the paragraphs and questions of the bundled golden/squad-dev, see squad.ts).
 * Fusion weights are tuned on half the questions and reported on the other half.
 *
 *   npx tsx test/retrieve/measure-recall.ts [questions=600]
 *
 * Paragraph embeddings are cached in .cache/embeddings, so a second run is fast.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CachedEmbedder } from '../../src/embed/cache.ts';
import { UseLiteEmbedder } from '../../src/embed/use-lite.ts';
import { Bm25Retriever } from '../../src/retrieve/bm25.ts';
import { DenseRetriever } from '../../src/retrieve/dense.ts';
import { convexCombination, reciprocalRankFusion, type FusedHit } from '../../src/retrieve/fusion.ts';
import { HybridRetriever, type HybridOptions } from '../../src/retrieve/hybrid.ts';
import { ExactStore } from '../../src/store/exact.ts';
import { loadSquad, type SquadQuestion } from './squad.ts';

const QUESTIONS = Number(process.argv[2] ?? 600);
const DEPTH = 50;
const log = (...a: unknown[]) => console.log(...a);
const rate = (n: number, ms: number) => `${((n / ms) * 1000).toFixed(1)}/s`;

async function throughput(model: UseLiteEmbedder, questions: string[], passages: string[]): Promise<void> {
  await model.embedDocuments(['warm-up']);
  for (const batch of [8, 32]) {
    const m = new UseLiteEmbedder(batch);
    await m.embedDocuments(['warm-up']);
    let t = performance.now();
    await m.embedDocuments(questions);
    log(`USE-lite batch ${batch}: ${questions.length} short questions (mean ${mean(questions)} chars) ${rate(questions.length, performance.now() - t)}`);
    t = performance.now();
    await m.embedDocuments(passages);
    log(`USE-lite batch ${batch}: ${passages.length} passages (mean ${mean(passages)} chars) ${rate(passages.length, performance.now() - t)}`);
    await m.close();
  }
  const t = performance.now();
  for (const q of questions.slice(0, 50)) await model.embedQuery(q);
  log(`USE-lite one query at a time: ${((performance.now() - t) / 50).toFixed(1)} ms/query`);
}

function mean(texts: string[]): number {
  return Math.round(texts.reduce((s, t) => s + t.length, 0) / texts.length);
}

async function cacheSpeedup(model: UseLiteEmbedder, passages: string[]): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'ragbench-measure-'));
  const cold = new CachedEmbedder(model, { dir });
  let t = performance.now();
  await cold.embedDocuments(passages);
  const coldMs = performance.now() - t;
  const warm = new CachedEmbedder(model, { dir });
  t = performance.now();
  await warm.embedDocuments(passages);
  const warmMs = performance.now() - t;
  log(`cache: ${passages.length} passages cold ${coldMs.toFixed(0)} ms, warm (new instance, from disk) ${warmMs.toFixed(1)} ms: ${(coldMs / warmMs).toFixed(0)}x faster; stats ${JSON.stringify(warm.stats())}`);
}

interface Ranked {
  q: SquadQuestion;
  bm25: FusedHit[];
  dense: FusedHit[];
}

interface Quality {
  hitAt1: number;
  recallAt5: number;
  recallAt10: number;
  mrrAt10: number;
}

function quality(rankings: { gold: string; ids: string[] }[]): Quality {
  let h1 = 0, r5 = 0, r10 = 0, mrr = 0;
  for (const { gold, ids } of rankings) {
    const rank = ids.indexOf(gold) + 1;
    if (rank === 1) h1++;
    if (rank >= 1 && rank <= 5) r5++;
    if (rank >= 1 && rank <= 10) { r10++; mrr += 1 / rank; }
  }
  const n = rankings.length;
  return { hitAt1: h1 / n, recallAt5: r5 / n, recallAt10: r10 / n, mrrAt10: mrr / n };
}

const fmt = (x: Quality) => `R@5 ${x.recallAt5.toFixed(3)}  R@10 ${x.recallAt10.toFixed(3)}  hit@1 ${x.hitAt1.toFixed(3)}  MRR@10 ${x.mrrAt10.toFixed(3)}`;

type Fuse = (r: Ranked) => FusedHit[];
const rrf = (dense: number, k: number): Fuse => (r) =>
  reciprocalRankFusion([{ ids: r.dense.map((h) => h.id), weight: dense }, { ids: r.bm25.map((h) => h.id), weight: 1 }], k);
const convex = (dense: number): Fuse => (r) =>
  convexCombination([{ hits: r.dense, weight: dense }, { hits: r.bm25, weight: 1 - dense }]);

function evaluate(rs: Ranked[], fuse: Fuse): Quality {
  return quality(rs.map((r) => ({ gold: r.q.chunkId, ids: fuse(r).slice(0, 10).map((h) => h.id) })));
}

async function main(): Promise<void> {
  const corpus = loadSquad();
  const model = new UseLiteEmbedder();
  const shortQs = corpus.questions.slice(0, 200).map((q) => q.question);
  // ~500-character passages: paragraph prefixes cut at a word boundary.
  const passages = corpus.chunks.slice(0, 60).map((c) => c.text.slice(0, 500).replace(/\s+\S*$/, ''));
  await throughput(model, shortQs, passages);
  await cacheSpeedup(model, corpus.chunks.slice(100, 160).map((c) => c.text));

  const embedder = new CachedEmbedder(model);
  const dense = new DenseRetriever(embedder, new ExactStore(model.dimensions));
  const bm25 = new Bm25Retriever();
  let t = performance.now();
  await dense.index(corpus.chunks);
  log(`indexed ${corpus.chunks.length} paragraphs densely in ${((performance.now() - t) / 1000).toFixed(1)} s; cache ${JSON.stringify(embedder.stats())}`);
  t = performance.now();
  await bm25.index(corpus.chunks);
  log(`indexed BM25 in ${(performance.now() - t).toFixed(0)} ms`);

  // Every k-th answerable question, spread over all articles; alternate between tune and test.
  const step = Math.max(1, Math.floor(corpus.questions.length / QUESTIONS));
  const sample = corpus.questions.filter((_, i) => i % step === 0).slice(0, QUESTIONS);
  const ranked: Ranked[] = [];
  let embedMs = 0, denseMs = 0, bm25Ms = 0;
  for (const q of sample) {
    let s = performance.now();
    const v = await dense.embedQuery(q.question);
    embedMs += performance.now() - s;
    s = performance.now();
    const d = await dense.searchVector(v, DEPTH);
    denseMs += performance.now() - s;
    s = performance.now();
    const b = await bm25.search(q.question, DEPTH);
    bm25Ms += performance.now() - s;
    const hits = (l: typeof d) => l.map((h) => ({ id: h.chunk.id, score: h.score }));
    ranked.push({ q, bm25: hits(b), dense: hits(d) });
  }
  const n = sample.length;
  log(`${n} questions; per query: embed ${(embedMs / n).toFixed(1)} ms, exact search ${(denseMs / n).toFixed(2)} ms, bm25 ${(bm25Ms / n).toFixed(2)} ms`);

  const tune = ranked.filter((_, i) => i % 2 === 0);
  const test = ranked.filter((_, i) => i % 2 === 1);
  const byRecall = (a: { q: Quality }, b: { q: Quality }) => b.q.recallAt5 - a.q.recallAt5 || b.q.mrrAt10 - a.q.mrrAt10;

  const rrfGrid = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.7, 1].flatMap((w) => [10, 30, 60].map((k) => ({ w, k, q: evaluate(tune, rrf(w, k)) })));
  const convexGrid = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1].map((w) => ({ w, q: evaluate(tune, convex(w)) }));
  rrfGrid.sort(byRecall);
  convexGrid.sort(byRecall);
  log(`\ntuning half (${tune.length} questions), best RRF settings (bm25 weight 1):`);
  for (const g of rrfGrid.slice(0, 5)) log(`  RRF denseWeight ${g.w} k ${g.k}: ${fmt(g.q)}`);
  log('tuning half, convex combination (dense share):');
  for (const g of [...convexGrid].sort((a, b) => a.w - b.w)) log(`  convex dense ${g.w}: ${fmt(g.q)}`);

  const bestRrf = rrfGrid[0] as (typeof rrfGrid)[number];
  const bestConvex = convexGrid[0] as (typeof convexGrid)[number];
  log(`\ntest half (${test.length} questions, never used for tuning):`);
  log(`  bm25 (k1 1.2, b 0.75)           ${fmt(evaluate(test, (r) => r.bm25))}`);
  log(`  dense USE-lite                  ${fmt(evaluate(test, (r) => r.dense))}`);
  log(`  RRF 1:1 k 60                    ${fmt(evaluate(test, rrf(1, 60)))}`);
  log(`  RRF tuned dense ${bestRrf.w} k ${bestRrf.k}       ${fmt(evaluate(test, rrf(bestRrf.w, bestRrf.k)))}`);
  log(`  convex tuned dense ${bestConvex.w}        ${fmt(evaluate(test, convex(bestConvex.w)))}`);

  // The same tuned settings through HybridRetriever, as a suite would run them.
  for (const options of [
    { fusion: 'rrf', denseWeight: bestRrf.w, bm25Weight: 1, rrfK: bestRrf.k },
    { fusion: 'convex', denseWeight: bestConvex.w, bm25Weight: 1 - bestConvex.w },
  ] satisfies HybridOptions[]) {
    const hybrid = new HybridRetriever(embedder, new ExactStore(model.dimensions), { ...options, candidates: DEPTH });
    await hybrid.index(corpus.chunks);
    const rankings = [];
    let ms = 0;
    for (const r of test) {
      const timed = await hybrid.searchTimed(r.q.question, 10);
      ms += timed.embedMs + timed.searchMs;
      rankings.push({ gold: r.q.chunkId, ids: timed.chunks.map((c) => c.chunk.id) });
    }
    log(`  HybridRetriever ${JSON.stringify(options)}: ${fmt(quality(rankings))}  (${(ms / test.length).toFixed(1)} ms/query)`);
  }
  await embedder.close();
}

await main();
