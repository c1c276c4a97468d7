import { describe, expect, it } from 'vitest';
import { boundedSentences } from '../../src/chunk/recursive.ts';
import { SentenceChunker, sentenceWindows } from '../../src/chunk/sentence.ts';
import { EDGE_DOCS } from './edge-docs.ts';
import { expectProvenance } from './invariants.ts';
import { makeDoc, readPdf, R_INTRO } from './pdf.ts';

const SEVEN = 'S1 one. S2 two. S3 three. S4 four. S5 five. S6 six. S7 seven.';
const texts = async (text: string, n: number, overlap: number, maxChars = 1500): Promise<string[]> =>
  (await new SentenceChunker({ n, overlap, maxChars }).chunk(makeDoc([text]))).map((c) => c.text);

describe('sentence chunker', () => {
  it('makes windows of n sentences sharing overlap sentences', async () => {
    expect(await texts(SEVEN, 3, 1)).toEqual(['S1 one. S2 two. S3 three.', 'S3 three. S4 four. S5 five.', 'S5 five. S6 six. S7 seven.']);
    expect(await texts(SEVEN, 3, 0)).toEqual(['S1 one. S2 two. S3 three.', 'S4 four. S5 five. S6 six.', 'S7 seven.']);
    expect(await texts(SEVEN, 10, 2)).toEqual([SEVEN]);
  });

  it('on R-intro, starts and ends every chunk on sentence boundaries, n at a time', async () => {
    const doc = readPdf(R_INTRO, 9, 14);
    const chunks = await new SentenceChunker({ n: 4, overlap: 1, maxChars: 1500 }).chunk(doc);
    expectProvenance(doc, chunks);
    const units = boundedSentences(doc.text, 1500);
    const first = new Map(units.map((u, i) => [u.start, i]));
    const last = new Map(units.map((u, i) => [u.end, i]));
    let previousLast = -1;
    for (const c of chunks) {
      const from = first.get(c.charStart);
      const to = last.get(c.charEnd);
      expect(from).toBeDefined();
      expect(to).toBeDefined();
      expect((to as number) - (from as number) + 1).toBeLessThanOrEqual(4);
      // No window cut short here, so each starts on the last sentence of the one before.
      if (previousLast >= 0) expect(from).toBe(previousLast);
      previousLast = to as number;
    }
    expect(previousLast).toBe(units.length - 1);
  });

  it('stops a window early at maxChars and cuts a longer sentence at spaces', async () => {
    const long = `${'lorem ipsum dolor '.repeat(20).trim()}.`; // 359 characters
    const chunks = await texts(`Short one. ${long} Short two. Short three.`, 3, 1, 100);
    for (const c of chunks) expect(c.length).toBeLessThanOrEqual(100);
    expect(chunks[0]).toMatch(/^Short one\. lorem ipsum/);
    expect(chunks.at(-2)).toMatch(/dolor\. Short two\.$/);
    expect(chunks.at(-1)).toBe('Short two. Short three.');
    // Each piece of the long sentence is a unit: all of it is in some chunk.
    expect(chunks.join(' ')).toContain(long.slice(-50));
  });

  it('never makes a window that adds no sentence to the one before', () => {
    // Unit lengths 40, 40, 90, 10 with maxChars 100: the 90 fits with nothing but itself, and
    // a window of the second unit alone (one step on, as overlap 2 asks) would repeat it.
    const units = [
      { start: 0, end: 40 },
      { start: 41, end: 81 },
      { start: 82, end: 172 },
      { start: 173, end: 183 },
    ];
    expect(sentenceWindows(units, { n: 3, overlap: 2, maxChars: 100 })).toEqual([
      { start: 0, end: 81 },
      { start: 82, end: 172 },
      { start: 173, end: 183 },
    ]);
  });

  it('cuts text with no sentence punctuation at line ends', async () => {
    const doc = EDGE_DOCS.noPunctuation!;
    const chunks = await new SentenceChunker({ n: 5, overlap: 1, maxChars: 500 }).chunk(doc);
    expectProvenance(doc, chunks);
    expect(chunks.length).toBeGreaterThan(5);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(500);
      expect(c.text).toMatch(/^entry \d+ .* factors$/s);
    }
  });

  it('gives a window that crosses a page break both pages', async () => {
    const doc = makeDoc(['One here. Two starts', 'and ends here. Three.']);
    const [all] = await new SentenceChunker({ n: 5, overlap: 1, maxChars: 1500 }).chunk(doc);
    expect(all).toMatchObject({ page: 1, pageEnd: 2, text: doc.text });
    // A page break ends a sentence, as any blank line does.
    const single = await new SentenceChunker({ n: 1, overlap: 0, maxChars: 1500 }).chunk(doc);
    expect(single.map((c) => [c.text, c.page, c.pageEnd])).toEqual([
      ['One here.', 1, 1],
      ['Two starts', 1, 1],
      ['and ends here.', 2, 2],
      ['Three.', 2, 2],
    ]);
  });

  it('names its parameters in its id', () => {
    expect(new SentenceChunker({ n: 5, overlap: 1, maxChars: 1500 }).id).toBe('sentence(n=5,overlap=1,maxChars=1500)');
  });
});
