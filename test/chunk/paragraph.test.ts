import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createChunker } from '../../src/chunk/registry.ts';
import { ParagraphChunker, paragraphBlocks, type ParagraphOptions } from '../../src/chunk/paragraph.ts';
import { normalizeText } from '../../src/text/normalize.ts';
import { readSquadArticles, SQUAD_GOLDEN_DIR } from '../retrieve/squad.ts';
import { EDGE_DOCS } from './edge-docs.ts';
import { expectProvenance } from './invariants.ts';
import { makeDoc, readPdf, R_INTRO } from './pdf.ts';

const chunker = (options: Partial<ParagraphOptions> = {}): ParagraphChunker =>
  createChunker({ name: 'paragraph', ...options }) as ParagraphChunker;

// Page 1: a heading, a whole paragraph, and a paragraph the page break cuts mid-sentence.
// Page 2: the rest of it, then a paragraph that ends the page with a full stop.
// Page 3: a new paragraph, which must not be joined to the one before.
const PAGES = [
  'Title\n\nFirst paragraph, one sentence.\n\nSecond paragraph starts here and\nruns on',
  'to the next page. It ends here.\n\nThird paragraph ends the page.',
  'Fourth paragraph opens page three.',
];

describe('paragraph chunker', () => {
  it('makes one chunk per paragraph and rejoins a paragraph cut by a page break', async () => {
    const doc = makeDoc(PAGES);
    const chunks = await chunker().chunk(doc);
    expectProvenance(doc, chunks);
    expect(chunks.map((c) => c.text.replace(/\s+/g, ' '))).toEqual([
      'Title',
      'First paragraph, one sentence.',
      'Second paragraph starts here and runs on to the next page. It ends here.',
      'Third paragraph ends the page.',
      'Fourth paragraph opens page three.',
    ]);
    // The rejoined paragraph cites both of its pages.
    expect(chunks.map((c) => [c.page, c.pageEnd])).toEqual([[1, 1], [1, 1], [1, 2], [2, 2], [3, 3]]);
  });

  it('keeps the pieces apart with joinPages: false', async () => {
    const texts = (await chunker({ joinPages: false }).chunk(makeDoc(PAGES))).map((c) => c.text.replace(/\s+/g, ' '));
    expect(texts).toContain('Second paragraph starts here and runs on');
    expect(texts).toContain('to the next page. It ends here.');
    expect(texts).toHaveLength(6);
  });

  it('cuts a paragraph longer than maxChars into windows of whole sentences', async () => {
    const sentence = (i: number): string => `Sentence number ${i} has a few words in it.`; // 41-42 characters
    const doc = makeDoc([Array.from({ length: 10 }, (_, i) => sentence(i)).join(' ')]);
    const chunks = await chunker({ maxChars: 100 }).chunk(doc);
    expectProvenance(doc, chunks);
    // Two sentences (85 characters with the space) fit in 100; three do not.
    expect(chunks.map((c) => c.text)).toEqual([0, 2, 4, 6, 8].map((i) => `${sentence(i)} ${sentence(i + 1)}`));
  });

  it('cuts a sentence longer than maxChars at spaces', async () => {
    const doc = EDGE_DOCS.noPunctuation as (typeof EDGE_DOCS)[string];
    const chunks = await chunker({ maxChars: 200 }).chunk(doc);
    expectProvenance(doc, chunks);
    expect(Math.max(...chunks.map((c) => c.text.length))).toBeLessThanOrEqual(200);
  });

  it.each(Object.entries(EDGE_DOCS))('keeps exact provenance on the %s document', async (_, doc) => {
    expectProvenance(doc, await chunker().chunk(doc));
  });

  it('keeps exact provenance on R-intro, and some paragraph spans two pages', async () => {
    const doc = readPdf(R_INTRO, 1, 40);
    const chunks = await chunker().chunk(doc);
    expectProvenance(doc, chunks);
    expect(chunks.some((c) => c.pageEnd === c.page + 1)).toBe(true);
    expect(Math.max(...chunks.map((c) => c.text.length))).toBeLessThanOrEqual(1000);
  });

  it('gives back the SQuAD paragraphs of a golden PDF, each whole in one chunk', async () => {
    const doc = readPdf(join(SQUAD_GOLDEN_DIR, 'docs', 'Normans.pdf'), 1, 100);
    const article = readSquadArticles().find((a) => a.title === 'Normans');
    const paragraphs = article?.paragraphs.map((p) => normalizeText(p.context)) ?? [];
    expect(paragraphs.length).toBeGreaterThan(30);
    // Uncapped (several Normans paragraphs are longer than 1,000 characters), to test the structure alone.
    const joined = (await chunker({ maxChars: 4000 }).chunk(doc)).map((c) => normalizeText(c.text));
    const split = (await chunker({ joinPages: false, maxChars: 4000 }).chunk(doc)).map((c) => normalizeText(c.text));
    const capped = (await chunker().chunk(doc)).map((c) => normalizeText(c.text));
    const whole = (chunks: string[]): number => paragraphs.filter((p) => chunks.some((c) => c.includes(p))).length;
    // Measured: every paragraph whole when the page breaks are rejoined; without, the ones a page cuts are not.
    expect(whole(joined)).toBe(paragraphs.length);
    expect(whole(split)).toBeLessThan(paragraphs.length);
    // And a chunk is one paragraph (or the title), not several.
    expect(joined.length).toBeLessThanOrEqual(paragraphs.length + 1);
    // At the default 1,000 characters, exactly the paragraphs that fit stay whole.
    const fitting = paragraphs.filter((p) => p.length <= 1000);
    expect(fitting.length).toBeLessThan(paragraphs.length);
    expect(whole(capped)).toBe(fitting.length);
  });

  it('finds page breaks by the document\'s page starts, not by blank lines', () => {
    // Blank lines inside a page separate paragraphs even without a full stop: no page break there.
    const doc = makeDoc(['A heading without a stop\n\nBody text of the page.']);
    expect(paragraphBlocks(doc, true)).toHaveLength(2);
  });
});
