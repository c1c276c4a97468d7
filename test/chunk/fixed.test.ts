import { describe, expect, it } from 'vitest';
import { FixedChunker } from '../../src/chunk/fixed.ts';
import { EDGE_DOCS } from './edge-docs.ts';
import { expectProvenance } from './invariants.ts';
import { makeDoc, readPdf, R_INTRO } from './pdf.ts';

const texts = async (text: string, size: number, overlap = 0): Promise<string[]> =>
  (await new FixedChunker({ size, overlap }).chunk(makeDoc([text]))).map((c) => c.text);

describe('fixed chunker on R-intro', () => {
  const doc = readPdf(R_INTRO, 1, 113);

  it('keeps chunks within the size and never cuts a word', async () => {
    const chunks = await new FixedChunker({ size: 800, overlap: 100 }).chunk(doc);
    expectProvenance(doc, chunks);
    for (const c of chunks) {
      expect(c.text.length).toBeLessThanOrEqual(800);
      expect(doc.text[c.charStart - 1] ?? ' ').toMatch(/\s/);
      expect(doc.text[c.charEnd] ?? ' ').toMatch(/\s/);
    }
  });

  it('overlaps consecutive chunks by at most the overlap', async () => {
    const chunks = await new FixedChunker({ size: 400, overlap: 100 }).chunk(doc);
    const shared = chunks.slice(1).map((c, i) => Math.max(0, (chunks[i]?.charEnd ?? 0) - c.charStart));
    expect(Math.max(...shared)).toBeLessThanOrEqual(100);
    // Overlap is used wherever a paragraph is cut inside: a good share of the cuts.
    expect(shared.filter((s) => s > 0).length).toBeGreaterThan(chunks.length / 10);
  });

  it('cuts mostly at paragraph ends when paragraphs fit', async () => {
    const chunks = await new FixedChunker({ size: 800, overlap: 0 }).chunk(doc);
    const atParagraphEnd = chunks.filter((c) => /^\s*(\n\s*\n|$)/.test(doc.text.slice(c.charEnd, c.charEnd + 8)));
    expect(atParagraphEnd.length / chunks.length).toBeGreaterThan(0.5);
  });
});

describe('fixed chunker boundaries', () => {
  it('prefers a paragraph break to a line or a space', async () => {
    expect(await texts('aaa bbb.\nccc.\n\nddd eee.', 16)).toEqual(['aaa bbb.\nccc.', 'ddd eee.']);
  });

  it('falls back to line breaks inside a paragraph', async () => {
    expect(await texts('one two\nthree four\nfive six', 18)).toEqual(['one two\nthree four', 'five six']);
  });

  it('falls back to sentence ends inside a line', async () => {
    expect(await texts('One two. Three four. Five six.', 20)).toEqual(['One two. Three four.', 'Five six.']);
  });

  it('falls back to spaces inside a sentence', async () => {
    expect(await texts('alpha beta gamma delta', 11)).toEqual(['alpha beta', 'gamma delta']);
  });

  it('overlaps whole pieces, as LangChain merges splits', async () => {
    expect(await texts('a1 b2 c3 d4 e5 f6', 8, 3)).toEqual(['a1 b2 c3', 'c3 d4 e5', 'e5 f6']);
  });

  it('cuts a word longer than the window, and only that word', async () => {
    const doc = EDGE_DOCS.hugeWord!;
    const chunks = await new FixedChunker({ size: 500, overlap: 50 }).chunk(doc);
    expectProvenance(doc, chunks);
    // 2,640 characters in windows of 500 that start every 450.
    expect(chunks.map((c) => c.text.length)).toEqual([16, 500, 500, 500, 500, 500, 390, 15]);
    expect(chunks[2]?.charStart).toBe((chunks[1]?.charEnd ?? 0) - 50);
    expect(chunks[0]?.text).toBe('Before the blob.');
    expect(chunks.at(-1)?.text).toBe('After the blob.');
  });

  it('cuts a run of emoji between graphemes, never inside one', async () => {
    const family = '👩‍👩‍👧‍👦'; // 11 UTF-16 units joined by ZWJ
    const chunks = await texts(family.repeat(40), 120);
    expect(chunks.length).toBe(4);
    for (const c of chunks) expect(c).toMatch(/^(👩‍👩‍👧‍👦)+$/u);
    const accents = await texts('e\u0301'.repeat(300), 101);
    for (const c of accents) expect(c.startsWith('\u0301')).toBe(false);
  });

  it('cuts a grapheme longer than the window between code points', async () => {
    expect(await texts('😀😀😀', 1)).toEqual(['😀', '😀', '😀']);
    const flags = await texts('👩‍👩‍👧‍👦', 5);
    expect(flags.join('')).toBe('👩‍👩‍👧‍👦');
    for (const c of flags) expect(c.length).toBeLessThanOrEqual(5);
  });

  it('gives page and pageEnd of the first and last character', async () => {
    const doc = makeDoc(['Alpha beta gamma.', 'Delta epsilon.']);
    const [whole] = await new FixedChunker({ size: 100, overlap: 0 }).chunk(doc);
    expect(whole).toMatchObject({ page: 1, pageEnd: 2, charStart: 0, charEnd: doc.text.length });
    const split = await new FixedChunker({ size: 20, overlap: 0 }).chunk(doc);
    expect(split.map((c) => [c.text, c.page, c.pageEnd])).toEqual([
      ['Alpha beta gamma.', 1, 1],
      ['Delta epsilon.', 2, 2],
    ]);
  });

  it('names its parameters in its id', () => {
    expect(new FixedChunker({ size: 300, overlap: 20 }).id).toBe('fixed(size=300,overlap=20)');
  });
});
