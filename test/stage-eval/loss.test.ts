/**
 * Loss by stage: hand-made extractions and chunks where the stage to blame is known exactly,
 * then real degraded runs (real extractors, the project's chunkers, BM25, the real scorer) on
 * the mini golden set, a golden/squad-dev article and a two-column page.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createChunker, type ChunkerSpec } from '../../src/chunk/registry.ts';
import type { Chunk } from '../../src/chunk/types.ts';
import { CitationVerifier } from '../../src/evaluate/citations.ts';
import { loadGoldenSet, type GoldenQuestion, type GoldenSet } from '../../src/evaluate/golden.ts';
import { RelevanceJudge } from '../../src/evaluate/relevance.ts';
import { ScoringCache, scoreQuestion, summarizeAccuracy } from '../../src/evaluate/score.ts';
import { createExtractor } from '../../src/extract/registry.ts';
import type { ExtractedDocument } from '../../src/extract/types.ts';
import { Bm25Retriever } from '../../src/retrieve/bm25.ts';
import { lossByStage, type LossQuestion } from '../../src/stage-eval/loss/breakdown.ts';
import { ChunkIndex } from '../../src/stage-eval/loss/chunk-index.ts';
import { LossByStageSchema, type LossByStage } from '../../src/stage-eval/loss/schema.ts';
import { DocumentLibrary } from '../../src/suite/documents.ts';
import { normalizeText } from '../../src/text/normalize.ts';
import { fixture } from '../extract/fixtures.ts';
import { chunkAt, handDoc } from './hand-made.ts';

/** Chunks cut at the given phrases' starts (the whole text covered, no overlap). */
function cutBefore(d: ExtractedDocument, ...phrases: string[]): Chunk[] {
  const cuts = [0, ...phrases.map((p) => d.text.indexOf(p)), d.text.length];
  if (cuts.some((c) => c < 0)) throw new Error('a phrase is not in the text');
  return cuts.slice(1).map((end, i) => chunkAt(d, cuts[i] as number, end));
}

const EVIDENCE = 'The Greyhaven light was first lit on 3 November 1874 by the keepers.';
const TEXT = `${EVIDENCE} The lamp burned colza oil.`;
const lit: LossQuestion = { answerable: true, answers: ['3 November 1874'], evidence: [{ doc: 'grey', page: 1, pageEnd: 1, text: EVIDENCE }] };
const unanswerable: LossQuestion = { answerable: false, answers: [], evidence: [] };

/** The stage blamed for one failed question over these chunks of this extraction. */
function blame(text: string, chunksOf: (d: ExtractedDocument) => Chunk[], q: LossQuestion = lit): LossByStage['perQuestion'][number] {
  const d = handDoc('grey', [text]);
  const judge = new RelevanceJudge(new Map([[d.docId, d]]));
  return lossByStage({ k: 5, questions: [q], semanticAccuracy: [0], chunks: chunksOf(d), judge }).perQuestion[0] ?? null;
}

describe('lossStage (hand-made, the stage known exactly)', () => {
  it('retrieval: a chunk holds the answer inside the evidence but was not in the top k', () => {
    expect(blame(TEXT, (d) => cutBefore(d, 'The lamp'))).toBe('retrieval');
  });

  it('chunking: the answer is in the extraction but split across two chunks', () => {
    expect(blame(TEXT, (d) => cutBefore(d, '1874', 'The lamp'))).toBe('chunking');
    expect(blame(TEXT, (d) => cutBefore(d, 'ember 1874'))).toBe('chunking');
  });

  it('an overlapping chunk that holds the whole answer makes it retrieval again', () => {
    expect(blame(TEXT, (d) => [...cutBefore(d, '1874'), chunkAt(d, d.text.indexOf('3 November'), d.text.indexOf(' by the'))])).toBe('retrieval');
  });

  it('chunking: no chunk covers the answer at all (a chunker that dropped text)', () => {
    expect(blame(TEXT, (d) => [chunkAt(d, d.text.indexOf('The lamp'), d.text.length)])).toBe('chunking');
  });

  it('extraction: the extractor lost the answer, so the passage is not found verbatim', () => {
    expect(blame('The Greyhaven light was first lit by the keepers. The lamp burned colza oil.', (d) => cutBefore(d, 'The lamp'))).toBe('extraction');
  });

  it('extraction: the evidence document was not extracted at all', () => {
    const elsewhere: LossQuestion = { ...lit, evidence: [{ ...(lit.evidence[0] as LossQuestion['evidence'][number]), doc: 'missing' }] };
    expect(blame(TEXT, (d) => cutBefore(d, 'The lamp'), elsewhere)).toBe('extraction');
  });

  it('a passage located only fuzzily that a chunk supports (token overlap + answer) is a retrieval loss', () => {
    // Reordered text: the passage is not verbatim, but a chunk holds its words and the answer.
    const reordered = 'by the keepers. The Greyhaven light was first lit on 3 November 1874';
    expect(blame(reordered, (d) => [chunkAt(d, 0, d.text.length)])).toBe('retrieval');
    // ... and one the chunks split is an extraction loss: the relevance rule has no occurrence to find.
    expect(blame(reordered, (d) => cutBefore(d, '1874'))).toBe('extraction');
  });

  it('blames only failed answerable questions, and counts each stage over failed and answerable ones', () => {
    const d = handDoc('grey', [TEXT]);
    const judge = new RelevanceJudge(new Map([[d.docId, d]]));
    const lamp: LossQuestion = { answerable: true, answers: ['colza oil'], evidence: [{ doc: 'grey', page: 1, pageEnd: 1, text: 'The lamp burned colza oil.' }] };
    const loss = lossByStage({
      k: 3,
      questions: [lit, lamp, unanswerable, lamp],
      semanticAccuracy: [0, 0, null, 1],
      chunks: cutBefore(d, '1874'),
      judge,
    });
    expect(LossByStageSchema.parse(loss)).toEqual(loss);
    expect(loss).toEqual({
      k: 3,
      answerable: 3,
      failed: 2,
      stages: {
        extraction: { questions: 0, ofFailed: 0, ofAnswerable: 0 },
        chunking: { questions: 1, ofFailed: 0.5, ofAnswerable: 1 / 3 },
        retrieval: { questions: 1, ofFailed: 0.5, ofAnswerable: 1 / 3 },
      },
      perQuestion: ['chunking', 'retrieval', null, null],
    });
    expect(() => lossByStage({ k: 3, questions: [lit], semanticAccuracy: [], chunks: [], judge })).toThrow(/0 semanticAccuracy values for 1 questions/);
  });

  it('ChunkIndex finds every chunk containing a span, long early chunks included', () => {
    const d = handDoc('grey', [TEXT]);
    const long = chunkAt(d, 0, 60);
    const index = new ChunkIndex([chunkAt(d, 40, 50), chunkAt(d, 10, 20), long, chunkAt(d, 30, 45), chunkAt(d, 42, 44)]);
    expect(index.covering('grey', { start: 42, end: 44 }).map((c) => c.id).sort()).toEqual(['grey:0-60', 'grey:30-45', 'grey:40-50', 'grey:42-44']);
    expect(index.covering('grey', { start: 45, end: 55 })).toEqual([long]);
    expect(index.covering('grey', { start: 55, end: 70 })).toEqual([]);
    expect(index.covering('other', { start: 0, end: 1 })).toEqual([]);
  });
});

/** One real run: chunk, index with BM25, score every question with the project's scorer, blame the losses. */
async function realRun(
  docs: ReadonlyMap<string, ExtractedDocument>,
  questions: readonly GoldenQuestion[],
  verifier: CitationVerifier,
  spec: ChunkerSpec,
  k: number,
): Promise<{ loss: LossByStage; semantic: (number | null)[] }> {
  const chunker = createChunker(spec);
  const chunks = (await Promise.all([...docs.values()].map((d) => chunker.chunk(d)))).flat();
  const bm25 = new Bm25Retriever();
  await bm25.index(chunks);
  const judge = new RelevanceJudge(docs);
  const ctx = { k, judge, verifier, documentOf: (id: string) => docs.get(id) as ExtractedDocument };
  const cache = new ScoringCache();
  const scored = [];
  for (const q of questions) scored.push(await scoreQuestion('loss-test', q, await bm25.search(q.question, 10), 0, ctx, cache));
  const semantic = summarizeAccuracy(k, scored, judge).perQuestion.semanticAccuracy as (number | null)[];
  return { loss: lossByStage({ k, questions, semanticAccuracy: semantic, chunks, judge }), semantic };
}

function expectConsistent(loss: LossByStage, semantic: readonly (number | null)[]): void {
  expect(LossByStageSchema.parse(loss)).toEqual(loss);
  expect(loss.failed).toBe(semantic.filter((s) => s === 0).length);
  loss.perQuestion.forEach((stage, i) => expect(stage === null).toBe(semantic[i] !== 0));
  const { extraction, chunking, retrieval } = loss.stages;
  expect(extraction.questions + chunking.questions + retrieval.questions).toBe(loss.failed);
}

/** Failed questions whose every gold answer is longer than `chars`: no chunk of that size can hold one. */
const longerThan = (q: GoldenQuestion, chars: number): boolean => q.answers.every((a) => normalizeText(a).length > chars);

describe.each([
  { set: 'test/fixtures/golden-mini', extractor: 'pdfjs', docIds: null },
  { set: 'golden/squad-dev', extractor: 'mupdf', docIds: ['Normans'] },
])('real degraded runs on $set ($extractor)', ({ set, extractor, docIds }) => {
  let golden: GoldenSet;
  let docs: Map<string, ExtractedDocument>;
  let questions: GoldenQuestion[];
  let verifier: CitationVerifier;

  beforeAll(async () => {
    golden = await loadGoldenSet(set);
    const library = new DocumentLibrary(golden.documents);
    const ids = docIds ?? golden.documents.map((d) => d.id);
    docs = new Map();
    for (const id of ids) docs.set(id, await library.read(id, extractor));
    // The mini set whole; of squad-dev, the answerable questions on the chosen article.
    questions = docIds ? golden.questions.filter((q) => q.answerable && q.evidence.every((e) => ids.includes(e.doc))) : golden.questions;
    verifier = new CitationVerifier((id, name) => library.read(id, name));
  });

  it('12-character windows: a failed question whose answers are all longer is a chunking loss, never retrieval', async () => {
    const { loss, semantic } = await realRun(docs, questions, verifier, { name: 'fixed', size: 12, overlap: 0 }, 5);
    expectConsistent(loss, semantic);
    expect(loss.stages.extraction.questions).toBe(0);
    const long = questions.flatMap((q, i) => (longerThan(q, 12) && semantic[i] === 0 ? [loss.perQuestion[i]] : []));
    expect(long.length).toBeGreaterThanOrEqual(3);
    expect(new Set(long)).toEqual(new Set(['chunking']));
    // Most of the accuracy is lost: at most a few questions survive windows this small.
    expect(loss.failed).toBeGreaterThan(0.9 * loss.answerable);
    if (!docIds) expect(loss.stages.chunking.questions).toBeGreaterThan(loss.stages.retrieval.questions);
  });

  it('a tiny k loses to retrieval only: the same chunks at k = 1 and k = 5 differ by retrieval losses', async () => {
    const spec = { name: 'sentence', n: 3, overlap: 1 };
    const one = await realRun(docs, questions, verifier, spec, 1);
    const five = await realRun(docs, questions, verifier, spec, 5);
    expectConsistent(one.loss, one.semantic);
    expect(one.loss.failed).toBeGreaterThan(five.loss.failed);
    questions.forEach((_, i) => {
      const atOne = one.loss.perQuestion[i];
      const atFive = five.loss.perQuestion[i];
      if (atFive !== null) expect(atOne).toBe(atFive); // extraction and chunking do not depend on k
      else if (atOne !== null) expect(atOne).toBe('retrieval');
    });
    // Sentence windows never split an answer that lies inside one sentence.
    expect(one.loss.stages.chunking.questions).toBe(0);
    expect(one.loss.stages.retrieval.questions).toBe(one.loss.failed);
  });
});

describe('a two-column page read by an extractor that mixes the columns', () => {
  const FILE = fixture('interleaved-columns.pdf');
  // In the PDF, the left column's first sentence wraps after "to its": mupdf puts the right column's line there.
  const q: GoldenQuestion = {
    id: 'cols-1',
    question: 'From where to where does the left column tell its story?',
    answerable: true,
    answers: ['from its first line to its last line'],
    evidence: [{ doc: 'cols', page: 1, pageEnd: 1, text: 'The left column tells one story from its first line to its last line.' }],
  };

  async function blameWith(extractorName: string): Promise<{ loss: LossByStage; semantic: (number | null)[] }> {
    const read = (name: string): Promise<ExtractedDocument> => createExtractor(name).extract(FILE, 'cols');
    const docs = new Map([['cols', await read(extractorName)]]);
    return realRun(docs, [q], new CitationVerifier((_, name) => read(name)), { name: 'sentence', n: 1, overlap: 0 }, 1);
  }

  it('mupdf interleaves the columns: the loss is blamed on extraction', async () => {
    const { loss, semantic } = await blameWith('mupdf');
    expect(semantic).toEqual([0]);
    expect(loss.perQuestion).toEqual(['extraction']);
  });

  it('pdfjs reads the columns in order: the same question is answered', async () => {
    const { loss, semantic } = await blameWith('pdfjs');
    expect(semantic).toEqual([1]);
    expect(loss.failed).toBe(0);
  });
});
