import { afterAll, describe, expect, it } from 'vitest';
import { groupUnits, percentile, SemanticChunker, type SemanticOptions } from '../../src/chunk/semantic.ts';
import { sentences } from '../../src/chunk/sentences.ts';
import type { Embedder } from '../../src/embed/types.ts';
import { UseLiteEmbedder } from '../../src/embed/use-lite.ts';
import { expectProvenance } from './invariants.ts';
import { makeDoc, readPdf, R_INTRO } from './pdf.ts';
import { BREAD, CHESS, VOLCANO } from './topics.ts';

const DEFAULTS: SemanticOptions = { bufferSize: 1, percentile: 95, minChars: 200, maxChars: 1500 };
const useLite = new UseLiteEmbedder();
afterAll(() => useLite.close?.());

/** The real embedder, with its calls counted. */
class CountingEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  calls: number[] = [];
  constructor(private readonly inner: Embedder) {
    this.id = inner.id;
    this.dimensions = inner.dimensions;
  }
  embedDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    this.calls.push(texts.length);
    return this.inner.embedDocuments(texts);
  }
  embedQuery(text: string): Promise<Float32Array> {
    return this.inner.embedQuery(text);
  }
}

/** How many sentences lie between offset `at` and the nearest chunk boundary. */
function sentencesFromBoundary(text: string, boundaries: number[], at: number): number {
  const starts = sentences(text).map((s) => s.start);
  const index = (offset: number): number => starts.filter((s) => s <= offset).length;
  return Math.min(...boundaries.map((b) => Math.abs(index(b) - index(at))));
}

describe('semantic chunker with USE-lite', () => {
  const twoTopics = makeDoc([`${BREAD}\n${VOLCANO}`], 'topics');
  const join = BREAD.length + 1;

  it('breaks exactly between two unrelated passages when each sentence is embedded alone', async () => {
    const chunks = await new SemanticChunker({ ...DEFAULTS, bufferSize: 0 }, useLite).chunk(twoTopics);
    expectProvenance(twoTopics, chunks);
    expect(chunks.map((c) => c.text)).toEqual([BREAD, VOLCANO]);
  });

  it('breaks within one sentence of the join with the default buffer of one sentence each side', async () => {
    const chunks = await new SemanticChunker(DEFAULTS, useLite).chunk(twoTopics);
    expectProvenance(twoTopics, chunks);
    expect(chunks.length).toBe(2);
    expect(sentencesFromBoundary(twoTopics.text, [chunks[1]?.charStart ?? -1], join)).toBeLessThanOrEqual(1);
  });

  it('finds both joins among three topics, on separate pages', async () => {
    const doc = makeDoc([`${BREAD}\n${CHESS}`, VOLCANO], 'three');
    const chunks = await new SemanticChunker({ ...DEFAULTS, bufferSize: 0, percentile: 90 }, useLite).chunk(doc);
    expectProvenance(doc, chunks);
    const boundaries = chunks.slice(1).map((c) => c.charStart);
    expect(sentencesFromBoundary(doc.text, boundaries, BREAD.length + 1)).toBe(0);
    expect(sentencesFromBoundary(doc.text, boundaries, doc.pageStarts[1] as number)).toBe(0);
    expect(chunks[0]?.text).toBe(BREAD);
    expect(chunks.at(-1)).toMatchObject({ text: VOLCANO, page: 2, pageEnd: 2 });
  });

  it('embeds a document in one call, each distinct window once', async () => {
    const counting = new CountingEmbedder(useLite);
    const repeated = makeDoc([`${BREAD}\n\n${BREAD}`], 'repeated');
    await new SemanticChunker({ ...DEFAULTS, bufferSize: 0 }, counting).chunk(repeated);
    expect(counting.calls).toEqual([10]); // 20 sentences, 10 distinct
    const single = makeDoc(['Just one sentence here.']);
    const [only] = await new SemanticChunker(DEFAULTS, counting).chunk(single);
    expect(only?.text).toBe('Just one sentence here.');
    expect(counting.calls).toEqual([10]); // nothing to compare, nothing embedded
  });

  it('keeps chunks of real text within minChars and maxChars', async () => {
    const doc = readPdf(R_INTRO, 11, 12);
    const options = { ...DEFAULTS, minChars: 300, maxChars: 600 };
    const chunks = await new SemanticChunker(options, useLite).chunk(doc);
    expectProvenance(doc, chunks);
    expect(chunks.length).toBeGreaterThan(doc.text.length / 600);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(600);
      expect(c.text.length).toBeGreaterThanOrEqual(300);
    }
  });

  it('fails clearly when an embedder returns the wrong number of vectors', async () => {
    const short: Embedder = {
      id: 'drops-one',
      dimensions: 512,
      embedDocuments: async (texts) => (await useLite.embedDocuments(texts)).slice(1),
      embedQuery: (text) => useLite.embedQuery(text),
    };
    await expect(new SemanticChunker(DEFAULTS, short).chunk(makeDoc([BREAD]))).rejects.toThrow(
      'embedder drops-one returned 9 vectors for 10 texts',
    );
  });

  it('names its embedder and parameters in its id', () => {
    expect(new SemanticChunker(DEFAULTS, useLite).id).toBe(
      'semantic(embedder=use-lite,buffer=1,percentile=95,minChars=200,maxChars=1500)',
    );
  });
});

describe('percentile', () => {
  it('interpolates linearly between ranks, as numpy does', () => {
    expect(percentile([1, 2, 3, 4], 50)).toBe(2.5);
    expect(percentile([5, 1, 4, 2, 3], 95)).toBeCloseTo(4.8);
    expect(percentile([3, 1, 2], 0)).toBe(1);
    expect(percentile([3, 1, 2], 100)).toBe(3);
    expect(percentile([7], 95)).toBe(7);
  });
});

describe('grouping sentences at distance peaks', () => {
  // Ten units of 99 characters, one space apart: units i..j span 100 * (j - i + 1) - 1 characters.
  const units = Array.from({ length: 10 }, (_, i) => ({ start: i * 100, end: i * 100 + 99 }));
  const distances = [0.1, 0.2, 0.9, 0.1, 0.1, 0.1, 0.8, 0.1, 0.2];
  const options = (o: Partial<SemanticOptions>): SemanticOptions => ({ ...DEFAULTS, minChars: 0, maxChars: 5000, ...o });

  it('takes the stronger of two breaks too close together for minChars', () => {
    // Peaks after units 5 (0.7) and 6 (0.9): one sentence apart.
    const close = [0.1, 0.1, 0.1, 0.1, 0.1, 0.7, 0.9, 0.1, 0.1];
    expect(groupUnits(units, close, options({ percentile: 80, minChars: 150 }))).toEqual([
      [0, 6],
      [7, 9],
    ]);
  });

  it('breaks after each distance above the percentile', () => {
    expect(groupUnits(units, distances, options({ percentile: 80 }))).toEqual([
      [0, 2],
      [3, 6],
      [7, 9],
    ]);
  });

  it('skips a break that would leave a chunk under minChars, before or after it', () => {
    const early = [0.9, 0.1, 0.1, 0.8, 0.1, 0.1, 0.1, 0.1, 0.2];
    expect(groupUnits(units, early, options({ percentile: 80 }))).toEqual([
      [0, 0],
      [1, 3],
      [4, 9],
    ]);
    expect(groupUnits(units, early, options({ percentile: 80, minChars: 150 }))).toEqual([
      [0, 3],
      [4, 9],
    ]);
    expect(groupUnits(units, [0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.9], options({ minChars: 150 }))).toEqual([[0, 9]]);
  });

  it('splits a group over maxChars at its most distant break that leaves both sides long enough', () => {
    const flat = [0.1, 0.5, 0.2, 0.3, 0.1, 0.1, 0.1, 0.1, 0.9];
    // Nothing above the 100th percentile: one group of 999 characters, split to fit 500.
    expect(groupUnits(units, flat, options({ percentile: 100, maxChars: 500 }))).toEqual([
      [0, 1],
      [2, 3],
      [4, 8],
      [9, 9],
    ]);
    expect(groupUnits(units, flat, options({ percentile: 100, maxChars: 500, minChars: 250 }))).toEqual([
      [0, 3],
      [4, 6],
      [7, 9],
    ]);
  });
});
