/**
 * Chunk quality: token overlap on hand-made spans whose answer is known exactly, then on the
 * mini golden set's real extraction with the project's real chunkers and BM25.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createChunker, type ChunkerSpec } from '../../src/chunk/registry.ts';
import type { Chunk } from '../../src/chunk/types.ts';
import { loadGoldenSet, type GoldenQuestion, type GoldenSet } from '../../src/evaluate/golden.ts';
import { RelevanceJudge } from '../../src/evaluate/relevance.ts';
import type { ExtractedDocument } from '../../src/extract/types.ts';
import { Bm25Retriever } from '../../src/retrieve/bm25.ts';
import { tokenOverlap, type DocumentSpan } from '../../src/stage-eval/chunking/overlap.ts';
import { chunkQuality } from '../../src/stage-eval/chunking/quality.ts';
import { sharedSize, sizeOf, unionOf } from '../../src/stage-eval/chunking/ranges.ts';
import { ChunkingStageSchema } from '../../src/stage-eval/chunking/schema.ts';
import { chunkShape, sizeDistribution } from '../../src/stage-eval/chunking/shape.ts';
import { withIntervals } from '../../src/stage-eval/chunking/intervals.ts';
import { chunkingStage } from '../../src/stage-eval/chunking/stage.ts';
import { countWords, TokenIndex } from '../../src/stage-eval/chunking/tokens.ts';
import { DocumentLibrary } from '../../src/suite/documents.ts';
import { locate } from '../../src/text/normalize.ts';
import { chunkAt, handDoc } from './hand-made.ts';

/** The span of a phrase in the document (it must occur once). */
function spanOf(d: ExtractedDocument, phrase: string): DocumentSpan {
  const start = d.text.indexOf(phrase);
  if (start < 0 || d.text.indexOf(phrase, start + 1) >= 0) throw new Error(`"${phrase}" must occur once in ${d.docId}`);
  return { docId: d.docId, start, end: start + phrase.length };
}

describe('word tokens and token ranges', () => {
  it('counts runs of letters, digits and marks, in any script', () => {
    // "4.2" is two tokens: a full stop separates tokens, as on the answer-matching token boundaries.
    expect(countWords('The tidal range is about 4.2 metres.')).toBe(8);
    expect(countWords('café naïve Ελλάδα 東京')).toBe(4);
    expect(countWords(' -- ')).toBe(0);
  });

  it('gives a token to the span holding its first character', () => {
    const index = new TokenIndex('alpha beta gamma');
    expect(index.size).toBe(3);
    expect(index.rangeOf({ start: 0, end: 16 })).toEqual({ from: 0, to: 3 });
    // "bet|a gamma": beta starts inside the first span, so it is the first span's.
    expect(index.rangeOf({ start: 0, end: 9 })).toEqual({ from: 0, to: 2 });
    expect(index.rangeOf({ start: 9, end: 16 })).toEqual({ from: 2, to: 3 });
    expect(index.rangeOf({ start: 7, end: 9 })).toEqual({ from: 2, to: 2 });
  });

  it('merges ranges and measures what two sets share', () => {
    const a = unionOf([{ from: 5, to: 8 }, { from: 0, to: 2 }, { from: 1, to: 3 }, { from: 4, to: 4 }]);
    expect(a).toEqual([{ from: 0, to: 3 }, { from: 5, to: 8 }]);
    expect(sizeOf(a)).toBe(6);
    expect(sharedSize(a, unionOf([{ from: 2, to: 6 }, { from: 7, to: 20 }]))).toBe(1 + 1 + 1);
    expect(sharedSize(a, [])).toBe(0);
  });
});

describe('tokenOverlap (hand-made, answers known exactly)', () => {
  const d = handDoc('greek', ['alpha beta gamma delta epsilon zeta']);
  const other = handDoc('other', ['one two three']);
  const docs = new Map([d, other].map((x) => [x.docId, x]));
  const indexOf = (id: string): TokenIndex => new TokenIndex((docs.get(id) as ExtractedDocument).text);
  const evidence = [spanOf(d, 'gamma delta')];

  it('precision, recall and IoU of one chunk half on the evidence', () => {
    expect(tokenOverlap(evidence, [spanOf(d, 'beta gamma')], indexOf)).toEqual({
      evidenceTokens: 2,
      retrievedTokens: 2,
      sharedTokens: 1,
      precision: 0.5,
      recall: 0.5,
      iou: 1 / 3,
    });
  });

  it('counts the tokens two overlapping chunks share once', () => {
    const o = tokenOverlap(evidence, [spanOf(d, 'beta gamma'), spanOf(d, 'gamma delta epsilon')], indexOf);
    expect(o).toMatchObject({ retrievedTokens: 4, sharedTokens: 2, precision: 0.5, recall: 1, iou: 0.5 });
  });

  it('a chunk of another document only adds retrieved tokens', () => {
    const o = tokenOverlap(evidence, [spanOf(d, 'gamma delta'), spanOf(other, 'one two three')], indexOf);
    expect(o).toMatchObject({ retrievedTokens: 5, sharedTokens: 2, precision: 0.4, recall: 1, iou: 0.4 });
  });

  it('an exact chunk scores 1; nothing retrieved scores 0; evidence without tokens is not judged', () => {
    expect(tokenOverlap(evidence, evidence, indexOf)).toMatchObject({ precision: 1, recall: 1, iou: 1 });
    expect(tokenOverlap(evidence, [], indexOf)).toMatchObject({ precision: 0, recall: 0, iou: 0 });
    expect(tokenOverlap([{ docId: 'greek', start: 5, end: 6 }], evidence, indexOf)).toBeNull();
  });
});

describe('chunkQuality (hand-made)', () => {
  const d = handDoc('grey', ['The Greyhaven light was first lit on 3 November 1874. The lamp burned colza oil.']);
  const docs = new Map([[d.docId, d]]);
  const ask = (text: string): Pick<GoldenQuestion, 'answerable' | 'evidence'> => ({ answerable: true, evidence: [{ doc: 'grey', page: 1, pageEnd: 1, text }] });

  it('leaves out a question whose evidence is not in the extraction verbatim, and says how many', () => {
    const found = ask('The lamp burned colza oil.');
    const lost = ask('The lamp burned whale oil.');
    const lamp = spanOf(d, 'The lamp burned colza oil.');
    const q = chunkQuality({ k: 2, questions: [found, lost], ranked: [[chunkAt(d, lamp.start, lamp.end)], []], documents: docs, judge: new RelevanceJudge(docs) });
    expect(q).toMatchObject({ questions: 1, evidenceNotLocated: 1, unanswerable: 0, tokenIou: 1 });
    expect(q.perQuestion.tokenIou).toEqual([1, null]);
  });

  it('judges only the top k, and refuses misaligned input or a chunk of a document it was not given', () => {
    const q = ask('The lamp burned colza oil.');
    const lamp = spanOf(d, 'The lamp burned colza oil.');
    const ranked = [[chunkAt(d, 0, lamp.start), chunkAt(d, lamp.start, lamp.end)]];
    const judge = new RelevanceJudge(docs);
    expect(chunkQuality({ k: 1, questions: [q], ranked, documents: docs, judge }).tokenRecall).toBe(0);
    expect(chunkQuality({ k: 2, questions: [q], ranked, documents: docs, judge }).tokenRecall).toBe(1);
    expect(() => chunkQuality({ k: 1, questions: [q], ranked: [], documents: docs, judge })).toThrow(/0 rankings for 1 questions/);
    const stray = handDoc('stray', ['Other text.']);
    expect(() => chunkQuality({ k: 1, questions: [q], ranked: [[chunkAt(stray, 0, 5)]], documents: docs, judge })).toThrow(/"stray"/);
  });
});

describe('chunkShape (hand-made)', () => {
  const d = handDoc('shape', ['The first sentence is here. The second one follows it.', 'A new page starts a sentence.']);
  const docs = new Map([[d.docId, d]]);
  const s1 = spanOf(d, 'The first sentence is here.');
  const s2 = spanOf(d, 'The second one follows it.');
  const s3 = spanOf(d, 'A new page starts a sentence.');

  it('a chunk of whole sentences cuts none, whitespace around it ignored', () => {
    const shape = chunkShape(docs, [chunkAt(d, s1.start, s2.end), chunkAt(d, s3.start - 2, s3.end)]);
    expect(shape).toMatchObject({ chunks: 2, startsMidSentence: 0, endsMidSentence: 0, cutSentence: 0, cutSentenceShare: 0 });
  });

  it('counts a chunk that starts or ends mid-sentence once', () => {
    const midStart = chunkAt(d, s1.start + 4, s1.end);
    const midEnd = chunkAt(d, s2.start, s2.end - 5);
    const both = chunkAt(d, s1.start + 4, s2.end - 5);
    const shape = chunkShape(docs, [midStart, midEnd, both, chunkAt(d, s3.start, s3.end)]);
    expect(shape).toMatchObject({ chunks: 4, startsMidSentence: 2, endsMidSentence: 2, cutSentence: 3, cutSentenceShare: 0.75 });
    expect(shape.chars?.max).toBe(s2.end - 5 - (s1.start + 4));
    expect(shape.tokens?.min).toBe(4); // "first sentence is here"
  });

  it('size distribution: type-7 quantiles, null when empty', () => {
    expect(sizeDistribution([10, 1, 2, 3, 4, 5, 6, 7, 8, 9])).toEqual({ min: 1, p10: 1.9, p50: 5.5, p90: 9.1, max: 10, mean: 5.5 });
    expect(sizeDistribution([])).toBeNull();
    expect(chunkShape(docs, [])).toMatchObject({ chunks: 0, chars: null, tokens: null, cutSentenceShare: null });
  });

  it('names a chunk whose document was not given', () => {
    const stray = chunkAt(handDoc('stray', ['Some text.']), 0, 4);
    expect(() => chunkShape(docs, [stray])).toThrow(/"stray"/);
  });
});

describe('on the mini golden set (pdfjs extraction, real chunkers, BM25)', () => {
  let golden: GoldenSet;
  let docs: Map<string, ExtractedDocument>;

  beforeAll(async () => {
    golden = await loadGoldenSet('test/fixtures/golden-mini');
    const library = new DocumentLibrary(golden.documents);
    docs = new Map();
    for (const d of golden.documents) docs.set(d.id, await library.read(d.id, 'pdfjs'));
  });

  async function chunksOf(spec: ChunkerSpec): Promise<Chunk[]> {
    const chunker = createChunker(spec);
    return (await Promise.all([...docs.values()].map((d) => chunker.chunk(d)))).flat();
  }

  async function run(spec: ChunkerSpec, k = 5) {
    const chunks = await chunksOf(spec);
    const bm25 = new Bm25Retriever();
    await bm25.index(chunks);
    const ranked = await Promise.all(golden.questions.map(async (q) => (await bm25.search(q.question, 10)).map((s) => s.chunk)));
    const judge = new RelevanceJudge(docs);
    return { chunks, ranked, judge, quality: chunkQuality({ k, questions: golden.questions, ranked, documents: docs, judge }) };
  }

  it('a chunk that is exactly the evidence passage scores 1; the whole document has recall 1 and precision |E|/|doc|', () => {
    const q = golden.questions.find((x) => x.id === 'mini-03') as GoldenQuestion;
    const e = q.evidence[0] as GoldenQuestion['evidence'][number];
    const d = docs.get(e.doc) as ExtractedDocument;
    const span = locate(d.text, e.text);
    expect(span).not.toBeNull();
    const { start, end } = span as { start: number; end: number };
    const judge = new RelevanceJudge(docs);
    const exact = chunkQuality({ k: 1, questions: [q], ranked: [[chunkAt(d, start, end)]], documents: docs, judge });
    expect(exact).toMatchObject({ questions: 1, tokenPrecision: 1, tokenRecall: 1, tokenIou: 1 });
    const whole = chunkQuality({ k: 1, questions: [q], ranked: [[chunkAt(d, 0, d.text.length)]], documents: docs, judge });
    const evidenceWords = countWords(d.text.slice(start, end));
    expect(evidenceWords).toBe(countWords(e.text));
    expect(whole.tokenRecall).toBe(1);
    expect(whole.tokenPrecision).toBeCloseTo(evidenceWords / countWords(d.text), 12);
    expect(whole.tokenIou).toBe(whole.tokenPrecision);
  });

  it('per-question arrays align with the questions; unanswerable ones are null; means are their means', async () => {
    const { quality } = await run({ name: 'sentence', n: 3, overlap: 1 });
    expect(() => ChunkingStageSchema.shape.quality.parse(quality)).not.toThrow();
    expect(quality.perQuestion.tokenIou).toHaveLength(golden.questions.length);
    golden.questions.forEach((q, i) => expect(quality.perQuestion.tokenIou[i] === null).toBe(!q.answerable));
    const answerable = golden.questions.filter((q) => q.answerable).length;
    expect(quality).toMatchObject({ k: 5, questions: answerable, unanswerable: 3, evidenceNotLocated: 0 });
    const iou = quality.perQuestion.tokenIou.filter((x): x is number => x !== null);
    expect(quality.tokenIou).toBeCloseTo(iou.reduce((a, b) => a + b, 0) / iou.length, 12);
    for (const [i, p] of quality.perQuestion.tokenPrecision.entries()) {
      const r = quality.perQuestion.tokenRecall[i];
      const u = quality.perQuestion.tokenIou[i];
      if (p === null || r === null || r === undefined || u === null || u === undefined) continue;
      // IoU never exceeds the smaller of precision and recall.
      expect(u).toBeLessThanOrEqual(Math.min(p, r) + 1e-12);
    }
  });

  it('small chunks are more precise, large ones recall more (fixed 200 vs 2,000 characters)', async () => {
    const small = (await run({ name: 'fixed', size: 200, overlap: 0 }, 3)).quality;
    const large = (await run({ name: 'fixed', size: 2000, overlap: 0 }, 3)).quality;
    expect(small.tokenPrecision as number).toBeGreaterThan(large.tokenPrecision as number);
    expect(large.tokenRecall as number).toBeGreaterThan(small.tokenRecall as number);
    expect(large.tokenRecall as number).toBeGreaterThan(0.9);
  });

  it('chunkingStage: quality and shape of one run, schema-valid; intervals hold the means', async () => {
    const { chunks, ranked, judge } = await run({ name: 'sentence', n: 3, overlap: 1 });
    const stage = chunkingStage({ k: 5, questions: golden.questions, ranked, documents: docs, judge, chunks });
    expect(stage.quality).toEqual(chunkQuality({ k: 5, questions: golden.questions, ranked, documents: docs, judge }));
    expect(stage.shape).toEqual(chunkShape(docs, chunks));
    const quality = withIntervals(stage.quality, { resamples: 500, seed: 7 });
    expect(ChunkingStageSchema.parse({ ...stage, quality })).toEqual({ ...stage, quality });
    for (const m of ['tokenPrecision', 'tokenRecall', 'tokenIou'] as const) {
      const i = quality.intervals?.[m];
      expect(i).toBeDefined();
      expect(i!.low).toBeLessThanOrEqual(quality[m] as number);
      expect(i!.high).toBeGreaterThanOrEqual(quality[m] as number);
      expect(i!.high).toBeGreaterThan(i!.low);
    }
    expect(withIntervals({ ...stage.quality, perQuestion: { tokenPrecision: [null], tokenRecall: [null], tokenIou: [null] } }).intervals).toEqual({});
  });

  it('a sentence chunker cuts no sentence; 12-character windows cut nearly every one', async () => {
    const sentence = chunkShape(docs, await chunksOf({ name: 'sentence', n: 2, overlap: 0 }));
    expect(sentence.cutSentence).toBe(0);
    expect(sentence.chunks).toBeGreaterThan(20);
    const tiny = chunkShape(docs, await chunksOf({ name: 'fixed', size: 12, overlap: 0 }));
    expect(tiny.chars?.max).toBeLessThanOrEqual(12);
    expect(tiny.tokens?.max).toBeLessThanOrEqual(6);
    expect(tiny.cutSentenceShare as number).toBeGreaterThan(0.9);
    expect(ChunkingStageSchema.shape.shape.parse(tiny)).toEqual(tiny);
  });
});
