/**
 * Word tokens of an extracted text, by position: what chunk quality counts. A token is a
 * maximal run of letters, digits and combining marks, the characters that make up a token in
 * the golden-format matching of src/text/normalize.ts (its token boundaries). Counting words
 * rather than a model's sub-word tokens keeps the measure independent of any embedder.
 */
import type { Span } from '../../text/normalize.ts';

const WORD = /[\p{L}\p{N}\p{M}]+/gu;

/** Words in a text. */
export function countWords(text: string): number {
  let n = 0;
  for (const _ of text.matchAll(WORD)) n++;
  return n;
}

/** A half-open range [from, to) of token indices of one document. */
export interface TokenRange {
  from: number;
  to: number;
}

/**
 * The start offsets of a document's tokens, so that a character span maps to the tokens it
 * holds. A token belongs to the span that holds its first character: a token cut in two by a
 * chunk boundary counts once, for the chunk where it begins.
 */
export class TokenIndex {
  private readonly starts: Int32Array;

  constructor(text: string) {
    const starts: number[] = [];
    for (const m of text.matchAll(WORD)) starts.push(m.index);
    this.starts = Int32Array.from(starts);
  }

  get size(): number {
    return this.starts.length;
  }

  /** The tokens whose first character lies in `span`. */
  rangeOf(span: Span): TokenRange {
    return { from: this.firstAtOrAfter(span.start), to: this.firstAtOrAfter(span.end) };
  }

  /** Index of the first token starting at or after `offset` (size when none). */
  private firstAtOrAfter(offset: number): number {
    let lo = 0;
    let hi = this.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.starts[mid] as number) < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
