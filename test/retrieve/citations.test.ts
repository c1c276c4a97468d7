import { describe, expect, it } from 'vitest';
import type { Chunk } from '../../src/chunk/types.ts';
import { citationFor, DEFAULT_MAX_QUOTE_CHARS, toHits } from '../../src/retrieve/citations.ts';
import { Bm25Retriever } from '../../src/retrieve/bm25.ts';
import { loadSquad } from './squad.ts';

const { chunks, docs } = loadSquad(12, 3);

function docText(chunk: Chunk): string {
  return docs.get(chunk.docId) as string;
}

describe('citations', () => {
  it('turns ranked chunks into hits citing doc, pages and the exact span of the quote', async () => {
    const r = new Bm25Retriever();
    await r.index(chunks);
    const scored = await r.search('Who was the inventor of the atmospheric engine?', 3);
    const hits = toHits(scored);
    expect(hits.map((h) => h.rank)).toEqual([1, 2, 3]);
    expect(hits.map((h) => h.chunkId)).toEqual(scored.map((s) => s.chunk.id));
    expect(hits.map((h) => h.score)).toEqual(scored.map((s) => s.score));
    const top = hits[0]?.citation;
    expect(top).toMatchObject({ doc: 'Steam_engine', page: 2, pageEnd: 2 });
    for (const [i, h] of hits.entries()) {
      const chunk = scored[i]?.chunk as Chunk;
      // SQuAD paragraphs are shorter than the quote limit: quoted whole, spans are the chunk's.
      expect(h.citation.quote).toBe(chunk.text);
      expect([h.citation.charStart, h.citation.charEnd]).toEqual([chunk.charStart, chunk.charEnd]);
      expect(docText(chunk).slice(h.citation.charStart, h.citation.charEnd)).toBe(h.citation.quote);
    }
  });

  it('quotes a long chunk by the window of whole words that covers most query terms', () => {
    const chunk = chunks.find((c) => c.id === 'Steam_engine#1') as Chunk;
    expect(chunk.text.length).toBeGreaterThan(200);
    const citation = citationFor(chunk, { maxQuoteChars: 120, query: 'Who invented the atmospheric engine, and when?' });
    expect(citation.quote.length).toBeLessThanOrEqual(120);
    expect(docText(chunk).slice(citation.charStart, citation.charEnd)).toBe(citation.quote);
    expect(citation.quote).toMatch(/^\w/);
    expect(citation.quote).toMatch(/\w$/);
    expect(citation.quote).toContain('atmospheric engine');
    expect(citation.quote).toContain('invented');
    expect(citation.charStart).toBeGreaterThan(chunk.charStart);
    expect([citation.page, citation.pageEnd]).toEqual([chunk.page, chunk.pageEnd]);
  });

  it('a window of a chunk spanning pages cites the pages of the window when pageOf is given', () => {
    const chunk = chunks.find((c) => c.id === 'Steam_engine#1') as Chunk;
    const twoPages: Chunk = { ...chunk, page: 3, pageEnd: 4 };
    // Pretend page 4 starts right after the chunk's first 150 characters.
    const pageOf = (_doc: string, offset: number): number => (offset < chunk.charStart + 150 ? 3 : 4);
    const early = citationFor(twoPages, { maxQuoteChars: 100, pageOf });
    expect([early.page, early.pageEnd]).toEqual([3, 3]);
    const whole = citationFor(twoPages, { pageOf });
    expect([whole.page, whole.pageEnd]).toEqual([3, 4]);
  });

  it('without a query (or with no query term in the chunk) quotes the start of a long chunk', () => {
    const chunk = chunks[0] as Chunk;
    for (const options of [{ maxQuoteChars: 100 }, { maxQuoteChars: 100, query: 'zeppelin airship' }]) {
      const citation = citationFor(chunk, options);
      expect(citation.charStart).toBe(chunk.charStart);
      expect(chunk.text.startsWith(citation.quote)).toBe(true);
      expect(citation.quote.length).toBeLessThanOrEqual(100);
      expect(citation.quote.length).toBeGreaterThan(80);
    }
  });

  it('cuts inside a word only when no whole word fits', () => {
    const base = chunks[0] as Chunk;
    const oneWord: Chunk = { ...base, text: 'x'.repeat(50), charStart: 10, charEnd: 60 };
    expect(citationFor(oneWord, { maxQuoteChars: 20 })).toMatchObject({ quote: 'x'.repeat(20), charStart: 10, charEnd: 30 });
    const text = 'x'.repeat(50) + ' tail';
    const chunk: Chunk = { ...base, text, charStart: 10, charEnd: 10 + text.length };
    expect(citationFor(chunk, { maxQuoteChars: 20, query: 'tail' })).toMatchObject({ quote: 'tail', charStart: 61, charEnd: 65 });
    const punctuation: Chunk = { ...chunk, text: '-'.repeat(30) };
    expect(citationFor(punctuation, { maxQuoteChars: 10 }).quote).toBe('-'.repeat(10));
  });

  it('defaults to 1000 characters and rejects a non-positive limit', () => {
    expect(DEFAULT_MAX_QUOTE_CHARS).toBe(1000);
    const long = chunks.find((c) => c.text.length > 1000) as Chunk;
    expect(citationFor(long).quote.length).toBeLessThanOrEqual(1000);
    expect(() => citationFor(long, { maxQuoteChars: 0 })).toThrow('citations: maxQuoteChars must be a positive integer, got 0');
  });
});
