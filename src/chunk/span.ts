/** A half-open range [start, end) of a document's text. Every splitter works on spans, never on
 *  copies of the text, so each chunk keeps the exact offsets citations are built from. */
export interface Span {
  start: number;
  end: number;
}

// Every Unicode whitespace character is in the BMP, so one UTF-16 unit at a time is exact.
const SPACE = /\s/u;

export function spanLength(span: Span): number {
  return span.end - span.start;
}

/** The span without leading and trailing whitespace; null when nothing else is left. */
export function trimSpan(text: string, span: Span): Span | null {
  let { start, end } = span;
  while (start < end && SPACE.test(text[start] as string)) start++;
  while (end > start && SPACE.test(text[end - 1] as string)) end--;
  return start < end ? { start, end } : null;
}

/**
 * The trimmed, non-empty pieces of `span` between matches of `separator`: a regex that matches
 * one or more whitespace characters only, so no visible character is ever dropped.
 */
export function splitSpan(text: string, span: Span, separator: RegExp): Span[] {
  const pieces: Span[] = [];
  const push = (start: number, end: number): void => {
    const piece = trimSpan(text, { start, end });
    if (piece) pieces.push(piece);
  };
  // Search the span's own text: a search of the whole text would run on past its end.
  const re = new RegExp(separator.source, `${separator.flags.replace('g', '')}g`);
  let from = span.start;
  for (const m of text.slice(span.start, span.end).matchAll(re)) {
    push(from, span.start + m.index);
    from = span.start + m.index + m[0].length;
  }
  push(from, span.end);
  return pieces;
}
