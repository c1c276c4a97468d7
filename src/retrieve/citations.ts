import type { Chunk } from '../chunk/types.ts';
import { contentTokens, normalizeText } from '../text/normalize.ts';
import type { Citation, Hit, ScoredChunk } from './types.ts';

export interface CitationOptions {
  /**
   * Longest quote in characters (default 1000). A chunk up to this length is quoted whole;
   * a longer one by a window of whole words of at most this length: the window covering most
   * distinct query terms (the earliest on ties, the chunk's start without a query).
   */
  maxQuoteChars?: number;
  /** The query the hits answer; picks the window of a long chunk. */
  query?: string;
  /**
   * The 1-based page of a character offset in a document's text. When given, a quote that is
   * a window of a long chunk cites the pages of the window itself, not all of the chunk's.
   */
  pageOf?: (docId: string, offset: number) => number;
}

export const DEFAULT_MAX_QUOTE_CHARS = 1000;

interface Word {
  start: number;
  end: number;
  /** Index into the query's terms, or -1. */
  term: number;
}

const WORD = /[\p{L}\p{N}]+/gu;

function words(text: string, queryTerms: readonly string[]): Word[] {
  const out: Word[] = [];
  for (const m of text.matchAll(WORD)) {
    const start = m.index;
    out.push({ start, end: start + m[0].length, term: queryTerms.indexOf(normalizeText(m[0])) });
  }
  return out;
}

/** [start, end) within `text` of the best window; two pointers over the words, O(words). */
function quoteWindow(text: string, max: number, query: string | undefined): { start: number; end: number } {
  const terms = query === undefined ? [] : [...contentTokens(query)];
  const ws = words(text, terms);
  const counts = new Array<number>(terms.length).fill(0);
  let distinct = 0;
  let best = { start: 0, end: Math.min(max, text.length), covered: -1 };
  let j = 0; // words [i, j) are in the window
  for (let i = 0; i < ws.length; i++) {
    const first = ws[i] as Word;
    while (j < ws.length && (ws[j] as Word).end - first.start <= max) {
      const t = (ws[j] as Word).term;
      if (t >= 0) {
        const before = counts[t] ?? 0;
        counts[t] = before + 1;
        if (before === 0) distinct++;
      }
      j++;
    }
    if (j > i && distinct > best.covered) best = { start: first.start, end: (ws[j - 1] as Word).end, covered: distinct };
    if (j > i) {
      const t = first.term;
      if (t >= 0) {
        const after = (counts[t] ?? 1) - 1;
        counts[t] = after;
        if (after === 0) distinct--;
      }
    } else {
      j = i + 1; // a single word longer than max: skip it
    }
  }
  return best;
}

/**
 * Where a retrieved chunk is, and what it says (the whole chunk, or a window of a long one).
 * page/pageEnd are the chunk's pages, or the window's own when `pageOf` is given.
 */
export function citationFor(chunk: Chunk, options: CitationOptions = {}): Citation {
  const max = options.maxQuoteChars ?? DEFAULT_MAX_QUOTE_CHARS;
  if (!Number.isInteger(max) || max < 1) throw new Error(`citations: maxQuoteChars must be a positive integer, got ${max}`);
  const { start, end } = chunk.text.length <= max ? { start: 0, end: chunk.text.length } : quoteWindow(chunk.text, max, options.query);
  const windowed = start > 0 || end < chunk.text.length;
  const pageOf = windowed ? options.pageOf : undefined;
  return {
    doc: chunk.docId,
    page: pageOf ? pageOf(chunk.docId, chunk.charStart + start) : chunk.page,
    pageEnd: pageOf ? pageOf(chunk.docId, chunk.charStart + end - 1) : chunk.pageEnd,
    // Offsets of the quote itself, so doc.text.slice(charStart, charEnd) === quote.
    charStart: chunk.charStart + start,
    charEnd: chunk.charStart + end,
    quote: chunk.text.slice(start, end),
  };
}

/** Ranked hits (rank 1 first) with citations. */
export function toHits(scored: readonly ScoredChunk[], options: CitationOptions = {}): Hit[] {
  return scored.map((s, i) => ({
    rank: i + 1,
    score: s.score,
    chunkId: s.chunk.id,
    citation: citationFor(s.chunk, options),
  }));
}
