import { paragraphs, sentences, wholeText } from './sentences.ts';
import { spanLength, splitSpan, type Span } from './span.ts';

/**
 * Boundaries from most to least preferred, as in LangChain's RecursiveCharacterTextSplitter
 * ("\n\n", "\n", " ", ""), with sentences between lines and words.
 */
const LEVELS = {
  paragraph: paragraphs,
  line: (text: string, span: Span) => splitSpan(text, span, /\s*[\n\r\f\v\u0085\u2028\u2029]\s*/g),
  sentence: sentences,
  word: (text: string, span: Span) => splitSpan(text, span, /\s+/g),
} as const;

export type Boundary = keyof typeof LEVELS;
const ORDER = Object.keys(LEVELS) as Boundary[];

export interface RecursiveOptions {
  /** Longest span, in UTF-16 code units. */
  size: number;
  /** Most characters a span may share with the previous one. */
  overlap: number;
  /** The most preferred boundary to cut at (a sentence is already cut at sentences). */
  from?: Boundary;
}

/**
 * Spans of at most `size` characters covering every non-space character of `span`. A span
 * longer than `size` is cut at its most preferred boundary kind; the pieces that fit are
 * merged greedily up to `size` with up to `overlap` characters shared; the ones that do not
 * recurse to the next kind. Words longer than `size` are cut between graphemes, into windows
 * that overlap too.
 */
export function splitRecursive(text: string, span: Span, options: RecursiveOptions): Span[] {
  return split(text, span, options, ORDER.indexOf(options.from ?? 'paragraph'));
}

function split(text: string, span: Span, options: RecursiveOptions, level: number): Span[] {
  if (spanLength(span) <= options.size) return [span];
  const boundary = ORDER[level];
  if (boundary === undefined) return splitGraphemes(text, span, options);
  const out: Span[] = [];
  let fitting: Span[] = [];
  for (const piece of LEVELS[boundary](text, span)) {
    if (spanLength(piece) <= options.size) {
      fitting.push(piece);
      continue;
    }
    // As LangChain does: what fits so far becomes chunks before the long piece is split.
    append(out, merge(fitting, options));
    fitting = [];
    append(out, split(text, piece, options, level + 1));
  }
  append(out, merge(fitting, options));
  return out;
}

/** push(...items) passes every item as an argument, which overflows the stack on huge inputs. */
function append(out: Span[], items: readonly Span[]): void {
  for (const item of items) out.push(item);
}

/** LangChain's _merge_splits over spans: greedy windows of consecutive pieces with overlap. */
function merge(pieces: readonly Span[], { size, overlap }: RecursiveOptions): Span[] {
  const out: Span[] = [];
  const window: Span[] = [];
  const windowStart = (): number => (window[0] as Span).start;
  for (const piece of pieces) {
    if (window.length > 0 && piece.end - windowStart() > size) {
      out.push({ start: windowStart(), end: (window.at(-1) as Span).end });
      // Keep a tail of at most `overlap` characters that still leaves room for the new piece.
      while (window.length > 0 && ((window.at(-1) as Span).end - windowStart() > overlap || piece.end - windowStart() > size)) {
        window.shift();
      }
    }
    window.push(piece);
  }
  if (window.length > 0) out.push({ start: windowStart(), end: (window.at(-1) as Span).end });
  return out;
}

const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

/** Cuts a span with no space in it into windows of at most `size`, never inside a grapheme. */
function splitGraphemes(text: string, span: Span, { size, overlap }: RecursiveOptions): Span[] {
  const out: Span[] = [];
  let from = span.start;
  while (span.end - from > size) {
    // Segment only a little more than one window: the segmenter is slow on long strings.
    const slice = text.slice(from, Math.min(span.end, from + size + 32));
    const starts: number[] = [];
    for (const g of graphemes.segment(slice)) {
      if (g.index > size) break;
      starts.push(g.index);
    }
    let cut = starts.at(-1) as number;
    if (cut === 0) {
      // One grapheme longer than `size`: cut between code points instead.
      cut = safeCut(text, from + size) - from;
      if (cut === 0) cut = 2; // size 1 and a surrogate pair
    }
    out.push({ start: from, end: from + cut });
    from += starts.find((s) => s > 0 && s >= cut - overlap) ?? cut;
  }
  out.push({ start: from, end: span.end });
  return out;
}

/** `at`, moved back one unit when it would split a surrogate pair. */
function safeCut(text: string, at: number): number {
  const c = text.charCodeAt(at - 1);
  return c >= 0xd800 && c <= 0xdbff ? at - 1 : at;
}

/**
 * The sentences of the text, each longer than `maxChars` replaced by pieces of at most that
 * size (cut at lines, then words): the units the sentence and semantic chunkers group.
 */
export function boundedSentences(text: string, maxChars: number): Span[] {
  return sentences(text, wholeText(text)).flatMap((s) =>
    spanLength(s) <= maxChars ? [s] : splitRecursive(text, s, { size: maxChars, overlap: 0, from: 'line' }),
  );
}
