/**
 * Scoring on the mini golden set's real PDFs (read by pdfjs, citations checked with MuPDF):
 * each way a citation or a hit can be wrong fails the metric it should, and only that one.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createChunker } from '../../src/chunk/registry.ts';
import type { Chunk } from '../../src/chunk/types.ts';
import { CitationVerifier } from '../../src/evaluate/citations.ts';
import { loadGoldenSet, type GoldenQuestion, type GoldenSet } from '../../src/evaluate/golden.ts';
import { RelevanceJudge } from '../../src/evaluate/relevance.ts';
import {
  aggregateAccuracy,
  aurocScores,
  noAnswerAuroc,
  PER_QUESTION_METRICS,
  perQuestionOutcomes,
  ScoringCache,
  scoreQuestion,
  summarizeAccuracy,
  type ScoredQuestion,
  type ScoringContext,
} from '../../src/evaluate/score.ts';
import { joinPages, pageAt } from '../../src/extract/pages.ts';
import type { ExtractedDocument } from '../../src/extract/types.ts';
import { Bm25Retriever } from '../../src/retrieve/bm25.ts';
import { AccuracySchema, QueryRecordSchema } from '../../src/summary/schema.ts';
import { DocumentLibrary } from '../../src/suite/documents.ts';
import { locate } from '../../src/text/normalize.ts';
import { chunkAt } from '../stage-eval/hand-made.ts';

const GREYHAVEN = 'Greyhaven_Lighthouse';
const TIDES = 'Harbour_Tides';

let golden: GoldenSet;
let library: DocumentLibrary;
let docs: Map<string, ExtractedDocument>;
let verifier: CitationVerifier;

beforeAll(async () => {
  golden = await loadGoldenSet('test/fixtures/golden-mini');
  library = new DocumentLibrary(golden.documents);
  docs = new Map();
  for (const d of golden.documents) docs.set(d.id, await library.read(d.id, 'pdfjs'));
  verifier = new CitationVerifier((id, extractor) => library.read(id, extractor));
});

const question = (id: string): GoldenQuestion => golden.questions.find((q) => q.id === id) as GoldenQuestion;
const doc = (id: string, from = docs): ExtractedDocument => from.get(id) as ExtractedDocument;


/** The span of `text` (golden-format matching) in the document's extraction. */
function spanOf(d: ExtractedDocument, text: string): { start: number; end: number } {
  const span = locate(d.text, text);
  if (!span) throw new Error(`"${text.slice(0, 40)}..." is not in ${d.docId}`);
  return span;
}

const chunkOf = (d: ExtractedDocument, text: string): Chunk => {
  const { start, end } = spanOf(d, text);
  return chunkAt(d, start, end);
};

function context(from = docs, k = 5): ScoringContext {
  return { k, judge: new RelevanceJudge(from), verifier, documentOf: (id) => doc(id, from) };
}

/** Scores ranked chunks (scores 1, 0.9, 0.8, ...) for a question. */
function score(q: GoldenQuestion, chunks: readonly Chunk[], ctx = context()): Promise<ScoredQuestion> {
  return scoreQuestion('test-run', q, chunks.map((c, i) => ({ chunk: c, score: 1 - i / 10 })), 1, ctx, new ScoringCache());
}

const evidenceChunk = (q: GoldenQuestion, i = 0): Chunk => {
  const e = q.evidence[i] as GoldenQuestion['evidence'][number];
  return chunkOf(doc(e.doc), e.text);
};

describe('answer citations and support on real PDFs', () => {
  it('a hit that is the evidence paragraph: correct citation, supporting, verified', async () => {
    const q = question('mini-04');
    const s = await score(q, [evidenceChunk(q)]);
    expect(s.answerCitation).toEqual({ rank: 1, correct: true });
    expect(s.record.metrics).toMatchObject({ citationAccuracy: 1, citationFaithfulness: 1, semanticAccuracy: 1, hitAt1: 1, passageOverlapAccuracy: 1 });
    expect(s.record.failed).toEqual([]);
    expect(s.record.hits[0]).toMatchObject({ rank: 1, relevant: true, containsAnswer: true, citationVerified: true });
    expect(QueryRecordSchema.parse(s.record)).toEqual(s.record);
  });

  it('a hit spanning pages 1-2 cited as such is correct; the answer is on page 2', async () => {
    const q = question('mini-11');
    const c = evidenceChunk(q);
    expect([c.page, c.pageEnd]).toEqual([1, 2]);
    const s = await score(q, [c]);
    expect(s.answerCitation).toEqual({ rank: 1, correct: true });
  });

  it('an off-by-one page fails citationAccuracy and citationFaithfulness, not semanticAccuracy', async () => {
    const q = question('mini-11');
    const d = doc(GREYHAVEN);
    const page2 = d.pageStarts[1] as number;
    // The page-2 part of the passage, holding "2004", labelled as page 1 (an off-by-one page map).
    const s = await score(q, [chunkAt(d, page2, d.text.length, { page: 1, pageEnd: 1 })]);
    expect(s.answerCitation).toEqual({
      rank: 1,
      correct: false,
      reason: "cites pages 1-1; the answer's occurrence in the gold evidence is on page 2",
    });
    expect(s.record.metrics).toMatchObject({ citationAccuracy: 0, citationFaithfulness: 0, semanticAccuracy: 1 });
    expect(s.record.failed).toEqual(['citationFaithfulness', 'citationAccuracy']);
  });

  it('a wrong document fails citationAccuracy only: the citation itself is faithful', async () => {
    // "colza oil" is also in the tides article, which is not the evidence of this question.
    const q = question('mini-02');
    const elsewhere = chunkOf(doc(TIDES), 'The same rule applied to the supply boat that carried colza oil');
    const s = await score(q, [elsewhere, evidenceChunk(q)]);
    expect(s.answerCitation).toEqual({ rank: 1, correct: false, reason: `cites ${TIDES}; the gold evidence is in ${GREYHAVEN}` });
    expect(s.record.metrics).toMatchObject({ citationAccuracy: 0, citationFaithfulness: 1, semanticAccuracy: 1, hitAt1: 0, mrrAt10: 0.5 });
    expect(s.record.hits.map((h) => [h.relevant, h.containsAnswer, h.citationVerified])).toEqual([
      [false, true, true],
      [true, true, true],
    ]);
  });

  it('a quote taken from another page (an extraction with its pages swapped) fails through the second extractor', async () => {
    const real = doc(GREYHAVEN);
    const swapped: ExtractedDocument = {
      ...real,
      pages: [
        { page: 1, text: (real.pages[1] as { text: string }).text },
        { page: 2, text: (real.pages[0] as { text: string }).text },
      ],
      ...joinPages([real.pages[1] as { page: number; text: string }, real.pages[0] as { page: number; text: string }]),
    };
    const faulty = new Map(docs).set(GREYHAVEN, swapped);
    const q = question('mini-04');
    const c = evidenceChunk(q);
    const moved = chunkOf(swapped, c.text);
    expect([moved.page, moved.pageEnd]).toEqual([2, 2]);
    const s = await score(q, [moved], context(faulty));
    expect(s.answerCitation).toEqual({ rank: 1, correct: false, reason: 'quote not found on pages 2-2 as read by mupdf' });
    expect(s.record.metrics).toMatchObject({ citationAccuracy: 0, citationFaithfulness: 0, semanticAccuracy: 1 });
  });

  it('an answer found by coincidence in an unrelated paragraph fails citationAccuracy and semanticAccuracy', async () => {
    // mini-01 asks when the light was first lit ("1874"); the next paragraph says the log books survive from 1874.
    const q = question('mini-01');
    const unrelated = evidenceChunk(question('mini-02'));
    expect(unrelated.text).toContain('1874');
    const alone = await score(q, [unrelated]);
    expect(alone.answerCitation).toEqual({
      rank: 1,
      correct: false,
      reason: 'answer found outside the gold evidence: does not support the question',
    });
    expect(alone.record.metrics).toMatchObject({ citationAccuracy: 0, citationFaithfulness: 1, semanticAccuracy: 0, passageOverlapAccuracy: 0 });
    expect(alone.record.failed).toEqual(['citationAccuracy', 'semanticAccuracy', 'hitAt1', 'recallAt5']);
    // With the evidence at rank 2 the question is answered, but the citation offered first is still wrong.
    const both = await score(q, [unrelated, evidenceChunk(q)]);
    expect(both.answerCitation?.correct).toBe(false);
    expect(both.record.metrics).toMatchObject({ semanticAccuracy: 1, hitAt1: 0, recallAt5: 1 });
  });

  it('a chunk straddling two paragraphs that covers the answer supports the question (v1 did not count it)', async () => {
    const q = question('mini-02');
    const d = doc(GREYHAVEN);
    const before = spanOf(d, (question('mini-01').evidence[0] as { text: string }).text);
    const answer = spanOf(d, 'Before electrification the lamp burned colza oil,');
    const straddling = chunkAt(d, before.start, answer.end);
    const passage = spanOf(d, (q.evidence[0] as { text: string }).text);
    // Less than half of the passage (the shorter span) is in the chunk.
    expect(answer.end - passage.start).toBeLessThan((passage.end - passage.start) / 2);
    const s = await score(q, [straddling]);
    expect(s.record.metrics).toMatchObject({ semanticAccuracy: 1, hitAt1: 1, passageOverlapAccuracy: 0, citationAccuracy: 1 });
  });

  it('a chunk larger than the paragraph that overlaps the passage but not the answer occurrence does not support', async () => {
    const q = question('mini-01');
    const d = doc(GREYHAVEN);
    const after = spanOf(d, 'after four years of work');
    const next = spanOf(d, (question('mini-02').evidence[0] as { text: string }).text);
    const big = chunkAt(d, after.start, next.end);
    // v1 counted it: most of the passage overlaps, and "1874" is in the chunk (the log books' 1874).
    const s = await score(q, [big]);
    expect(big.text.length).toBeGreaterThan((q.evidence[0] as { text: string }).text.length);
    expect(s.record.metrics).toMatchObject({ semanticAccuracy: 0, passageOverlapAccuracy: 1, citationAccuracy: 0, citationFaithfulness: 1 });
    expect(s.answerCitation?.reason).toBe('answer found outside the gold evidence: does not support the question');
  });

  it('answers match on token boundaries: "ten" is not in "often", "P" is not in every chunk', async () => {
    const paragraph = (question('mini-02').evidence[0] as GoldenQuestion['evidence'][number]);
    expect(paragraph.text).toContain('often');
    const ten: GoldenQuestion = { id: 'ten', question: 'How many?', answerable: true, answers: ['ten'], evidence: [paragraph] };
    const s = await score(ten, [evidenceChunk(question('mini-02'))]);
    expect(s.record.hits[0]).toMatchObject({ containsAnswer: false, relevant: false });
    expect(s.answerCitation).toBeNull();
    expect(s.record.answerCitation).toBeUndefined();
    expect(s.record.metrics.semanticAccuracy).toBe(0);
    const p: GoldenQuestion = { ...ten, id: 'p', answers: ['P'] };
    expect((await score(p, [evidenceChunk(question('mini-02'))])).record.hits[0]?.containsAnswer).toBe(false);
    // A real whole-token answer inside the same paragraph still matches.
    const trim: GoldenQuestion = { ...ten, id: 'trim', answers: ['trim'] };
    expect((await score(trim, [evidenceChunk(question('mini-02'))])).record.metrics.semanticAccuracy).toBe(1);
  });

  it('uses the golden answer offset to pick the occurrence; without one, every occurrence counts', async () => {
    const stair = question('mini-03').evidence[0] as GoldenQuestion['evidence'][number];
    const first = stair.text.indexOf('steps');
    expect(stair.text.indexOf('steps', first + 1)).toBeGreaterThan(first);
    const withOffset: GoldenQuestion = {
      id: 'steps', question: 'What leads from the entrance hall to the lantern room?', answerable: true, answers: ['steps'],
      evidence: [{ ...stair, answers: [{ text: 'steps', start: first }] }],
    };
    const withoutOffset: GoldenQuestion = { ...withOffset, evidence: [stair] };
    const d = doc(GREYHAVEN);
    const lastSentence = chunkOf(d, 'Visitors today climb the same steps');
    const firstSentence = chunkOf(d, 'A spiral stair of 214 cast-iron steps');
    expect((await score(withOffset, [lastSentence])).record.metrics.semanticAccuracy).toBe(0);
    expect((await score(withOffset, [firstSentence])).record.metrics.semanticAccuracy).toBe(1);
    expect((await score(withoutOffset, [lastSentence])).record.metrics.semanticAccuracy).toBe(1);
  });

  it('a passage not found verbatim is judged by token overlap and a contained answer, on its gold pages', async () => {
    const q = question('mini-04');
    const e = q.evidence[0] as GoldenQuestion['evidence'][number];
    const reworded: GoldenQuestion = { ...q, evidence: [{ ...e, text: e.text.replace('in 1951, when', 'in the year 1951 when') }] };
    const ctx = context();
    const s = await score(reworded, [evidenceChunk(q), evidenceChunk(question('mini-03'))], ctx);
    expect(ctx.judge.locatedFuzzy).toBe(1);
    expect(ctx.judge.passages(reworded)[0]).toMatchObject({ span: null, holdsAnswer: true, answerPages: [1] });
    expect(s.record.hits.map((h) => h.relevant)).toEqual([true, false]);
    expect(s.answerCitation).toEqual({ rank: 1, correct: true });
  });

  it('a passage without the answer (second evidence of mini-10) is not counted against recall', async () => {
    const q = question('mini-10');
    const ctx = context();
    expect(ctx.judge.passages(q).map((p) => [p.doc, p.holdsAnswer])).toEqual([
      [GREYHAVEN, true],
      [TIDES, false],
    ]);
    const s = await score(q, [evidenceChunk(q, 1), evidenceChunk(q, 0)], ctx);
    expect(s.record.metrics).toMatchObject({ recallAt5: 1, hitAt1: 0, semanticAccuracy: 1 });
  });

  it('a quote window of a long chunk that leaves the answer out fails citationAccuracy, with that reason', async () => {
    // The whole of page 1 (over 1000 characters) is quoted by the window that best matches the
    // question's words, the lens paragraph, far from the answer's paragraph.
    const q = question('mini-04');
    const odd: GoldenQuestion = { ...q, id: 'lens', question: 'Which Fresnel lens made in Paris floats on mercury?' };
    const d = doc(GREYHAVEN);
    const page1 = chunkAt(d, 0, d.pageStarts[1] as number);
    const s = await score(odd, [page1]);
    expect(s.record.hits[0]!.citation.quote.length).toBeLessThan(page1.text.length);
    expect(s.record.hits[0]!.citation.quote).toContain('Fresnel');
    expect(s.answerCitation).toEqual({
      rank: 1,
      correct: false,
      reason: "the quote, a window of a longer chunk, leaves out the answer's occurrence in the gold evidence",
    });
    expect(s.record.metrics).toMatchObject({ semanticAccuracy: 1, citationFaithfulness: 1, citationAccuracy: 0 });
  });

  it('an answer that is in no evidence passage leaves nothing to cite', async () => {
    const tides = question('mini-09');
    const misfiled: GoldenQuestion = { ...tides, id: 'misfiled', answers: ['1874'] };
    const s = await score(misfiled, [evidenceChunk(question('mini-02'))]);
    expect(s.answerCitation).toEqual({ rank: 1, correct: false, reason: 'no gold answer occurs in the evidence as this run extracted it' });
    expect(s.record.metrics).toMatchObject({ semanticAccuracy: 0, recallAt5: 0, citationAccuracy: 0 });
  });

  it('an unanswerable question counts its citations and top score, nothing else', async () => {
    const s = await score(question('mini-12'), [evidenceChunk(question('mini-04'))]);
    expect(s.answerable).toBe(false);
    expect(s.ir).toBeNull();
    expect(s.answerCitation).toBeNull();
    expect(s).toMatchObject({ citations: 1, citationsVerified: 1, topScore: 1 });
    expect(s.record.metrics).toEqual({ citationFaithfulness: 1 });
  });
});

describe('run-level accuracy and per-question outcomes', () => {
  it('aggregates answer citations, faithfulness, noAnswerAuroc and per-question arrays', async () => {
    const ctx = context();
    const scored: ScoredQuestion[] = [];
    const answerable = ['mini-01', 'mini-02', 'mini-03', 'mini-04'];
    // mini-01 gets only the paragraph that mentions 1874 by coincidence; the others their evidence.
    const topScores = [0.9, 0.8, 0.7, 0.6];
    for (const [i, id] of answerable.entries()) {
      const q = question(id);
      const hits = id === 'mini-01' ? [evidenceChunk(question('mini-02'))] : [evidenceChunk(q)];
      scored.push(await scoreQuestion('r', q, hits.map((c) => ({ chunk: c, score: topScores[i] as number })), 1, ctx, new ScoringCache()));
    }
    const unanswerable: [string, number | null][] = [['mini-12', 0.65], ['mini-13', 0.5], ['mini-14', null]];
    for (const [id, top] of unanswerable) {
      const ranked = top === null ? [] : [{ chunk: evidenceChunk(question('mini-04')), score: top }];
      scored.push(await scoreQuestion('r', question(id), ranked, 1, ctx, new ScoringCache()));
    }
    const { accuracy, perQuestion } = summarizeAccuracy(5, scored, ctx.judge);
    expect(AccuracySchema.parse(accuracy)).toEqual(accuracy);
    expect(accuracy).toMatchObject({
      k: 5,
      answerCitations: 4,
      answerCitationsCorrect: 3,
      citationAccuracy: 0.75,
      citations: 6,
      citationsVerified: 6,
      citationFaithfulness: 1,
      semanticAccuracy: 0.75,
      passageOverlapAccuracy: 0.75,
      questions: 4,
      unanswerable: 3,
      intervals: {},
    });
    // Positives 0.9, 0.8, 0.7, 0.6 against negatives 0.65, 0.5 and "no hit": 11 of 12 pairs ordered.
    expect(accuracy.noAnswerAuroc).toBeCloseTo(11 / 12, 10);
    expect(Object.keys(perQuestion).sort()).toEqual([...PER_QUESTION_METRICS].sort());
    for (const values of Object.values(perQuestion)) expect(values).toHaveLength(7);
    expect(perQuestion.semanticAccuracy).toEqual([0, 1, 1, 1, null, null, null]);
    expect(perQuestion.citationAccuracy).toEqual([0, 1, 1, 1, null, null, null]);
    expect(perQuestion.passageOverlapAccuracy).toEqual([0, 1, 1, 1, null, null, null]);
    expect(perQuestion.citations).toEqual([1, 1, 1, 1, 1, 1, 0]);
    expect(perQuestion.topScore).toEqual([0.9, 0.8, 0.7, 0.6, 0.65, 0.5, null]);
    expect(perQuestion.hitAt1).toEqual([0, 1, 1, 1, null, null, null]);
    // The per-question means are the run's figures.
    const meanOf = (xs: readonly (number | null)[]): number => {
      const v = xs.filter((x): x is number => x !== null);
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    expect(meanOf(perQuestion.ndcgAt10 ?? [])).toBeCloseTo(accuracy.ndcgAt10, 12);
    expect(meanOf(perQuestion.mrrAt10 ?? [])).toBeCloseTo(accuracy.mrrAt10, 12);
    expect(perQuestionOutcomes(scored)).toEqual(perQuestion);
  });

  it('a question without hits ranks below every scored one; the same mapping serves resampling', () => {
    expect(aurocScores([0.4, null, -2, null])).toEqual([0.4, -3, -2, -3]);
    expect(aurocScores([null])).toEqual([0]);
    const outcomes = [
      { answerable: true, topScore: null },
      { answerable: false, topScore: 0.1 },
    ];
    expect(noAnswerAuroc(outcomes)).toBe(0);
    expect(noAnswerAuroc([{ answerable: true, topScore: 3 }, { answerable: false, topScore: 3 }])).toBe(0.5);
  });

  it('noAnswerAuroc is null when the sample has only answerable questions', async () => {
    const ctx = context();
    const s = await score(question('mini-04'), [evidenceChunk(question('mini-04'))], ctx);
    const accuracy = aggregateAccuracy(5, [s], ctx.judge);
    expect(accuracy.noAnswerAuroc).toBeNull();
    expect(accuracy.unanswerable).toBe(0);
  });
});

describe('a real pipeline over the mini set (pdfjs, sentence chunks, BM25)', () => {
  it('scores every question; per-question outcomes and summary fields agree', async () => {
    const chunker = createChunker({ name: 'sentence', n: 2, overlap: 0 });
    const retriever = new Bm25Retriever();
    const chunks: Chunk[] = [];
    for (const d of docs.values()) chunks.push(...(await chunker.chunk(d)));
    await retriever.index(chunks);
    const ctx = context();
    const cache = new ScoringCache();
    const scored: ScoredQuestion[] = [];
    for (const q of golden.questions) {
      const found = await retriever.search(q.question, 10);
      scored.push(await scoreQuestion('mini', q, found, 1, ctx, cache));
    }
    const { accuracy, perQuestion } = summarizeAccuracy(5, scored, ctx.judge);
    expect(AccuracySchema.parse(accuracy)).toEqual(accuracy);
    for (const s of scored) QueryRecordSchema.parse(s.record);
    expect(accuracy).toMatchObject({ questions: 11, unanswerable: 3, evidenceLocated: 11, evidenceFuzzy: 0 });
    expect(perQuestion.semanticAccuracy).toHaveLength(14);
    // Every answer citation that is correct comes from a supporting hit, and is counted.
    const correct = scored.filter((s) => s.answerCitation?.correct === true);
    expect(accuracy.answerCitationsCorrect).toBe(correct.length);
    for (const s of correct) expect(s.record.hits.find((h) => h.rank === s.answerCitation?.rank)?.relevant).toBe(true);
    // Figures on this set (every citation verifies through MuPDF).
    expect(accuracy.citationFaithfulness).toBe(1);
    expect(accuracy).toMatchObject({ semanticAccuracy: 1, citationAccuracy: 1, answerCitations: 11, answerCitationsCorrect: 11 });
    // Two-sentence chunks: v1's overlap rule misses one question whose answering chunk straddles paragraphs.
    expect(accuracy.passageOverlapAccuracy).toBeCloseTo(10 / 11, 12);
    // BM25's top score separates the 3 unanswerable questions from the 11 answerable ones in 26 of 33 pairs.
    expect(accuracy.noAnswerAuroc).toBeCloseTo(26 / 33, 12);
  });
});
