/**
 * Text matching as the golden set format defines it: Unicode NFKC, case-fold, typographic
 * quotes and dashes to ASCII, runs of whitespace to one space. A hyphen at a line end is
 * ambiguous, so every comparison is made under both readings: "join" (drop the hyphen,
 * "impor-\ntant" -> "important") and "keep" ("end-\nto-end" -> "end-to-end").
 */

export type HyphenReading = 'join' | 'keep';
export const READINGS: readonly HyphenReading[] = ['join', 'keep'];

const CHAR_MAP: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'", '\u00b4': "'", '`': "'",
  '\u201c': '"', '\u201d': '"', '\u201e': '"', '\u201f': '"', '\u2033': '"', '\u00ab': '"', '\u00bb': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
  '\u00ad': '', // soft hyphen: invisible
};

const WHITESPACE = /\s/u;

/** ASCII folds to itself lower-cased (NFKC leaves it alone): a table, not a normalize() call per character. */
const ASCII_FOLD: readonly string[] = Array.from({ length: 128 }, (_, i) => {
  const c = String.fromCharCode(i);
  return CHAR_MAP[c] ?? c.toLowerCase();
});

function foldChar(c: string): string {
  const code = c.charCodeAt(0);
  if (code < 128 && c.length === 1) return ASCII_FOLD[code] as string;
  const mapped = CHAR_MAP[c];
  if (mapped !== undefined) return mapped;
  const n = c.normalize('NFKC').toLowerCase();
  // NFKC can itself produce typographic forms; map those too.
  return n.length === 1 ? (CHAR_MAP[n] ?? n) : [...n].map((x) => CHAR_MAP[x] ?? x).join('');
}

/** Normalised text plus, for each of its characters, the offset in the source it came from. */
export interface MappedText {
  text: string;
  /** map[i] = source offset of text[i]; map[text.length] = source length. */
  map: number[];
}

/** Whether the hyphen at `i` ends a line: followed by whitespace that contains a line break. */
function lineEndHyphenSkip(s: string, i: number): number {
  let j = i + 1;
  let sawBreak = false;
  while (j < s.length && WHITESPACE.test(s[j] as string)) {
    if (s[j] === '\n' || s[j] === '\r' || s[j] === '\f') sawBreak = true;
    j++;
  }
  return sawBreak && j < s.length ? j : -1;
}

export function normalizeWithMap(source: string, reading: HyphenReading = 'join'): MappedText {
  let text = '';
  const map: number[] = [];
  let pendingSpace = -1;
  const chars = [...source];
  let offset = 0;
  const offsets: number[] = [];
  for (const c of chars) {
    offsets.push(offset);
    offset += c.length;
  }
  offsets.push(offset);
  for (let k = 0; k < chars.length; k++) {
    const c = chars[k] as string;
    const at = offsets[k] as number;
    if (WHITESPACE.test(c)) {
      if (pendingSpace < 0 && text.length > 0) pendingSpace = at;
      continue;
    }
    const folded = foldChar(c);
    // A dash after a space ("Treaty –\ninstead") is punctuation, not a word broken at the line end.
    if (folded === '-' && text.length > 0 && pendingSpace < 0) {
      const next = lineEndHyphenSkip(source, at);
      if (next >= 0) {
        if (pendingSpace >= 0) {
          text += ' ';
          map.push(pendingSpace);
          pendingSpace = -1;
        }
        if (reading === 'keep') {
          text += '-';
          map.push(at);
        }
        while (k + 1 < chars.length && (offsets[k + 1] as number) < next) k++;
        continue;
      }
    }
    if (folded === '') continue;
    if (pendingSpace >= 0) {
      text += ' ';
      map.push(pendingSpace);
      pendingSpace = -1;
    }
    for (const f of folded) {
      text += f;
      map.push(at);
    }
  }
  map.push(source.length);
  return { text, map };
}

export function normalizeText(source: string, reading: HyphenReading = 'join'): string {
  return normalizeWithMap(source, reading).text;
}

/** Letters, digits and combining marks make up tokens; anything else separates them. */
const TOKEN_CHAR = /[\p{L}\p{N}\p{M}]/u;

function isTokenChar(c: string | undefined): boolean {
  return c !== undefined && TOKEN_CHAR.test(c);
}

/** The code point that ends just before index `i` (a surrogate pair is one character). */
function charBefore(s: string, i: number): string | undefined {
  if (i <= 0) return undefined;
  const low = s.charCodeAt(i - 1);
  const pair = low >= 0xdc00 && low <= 0xdfff && i >= 2;
  return s.slice(pair ? i - 2 : i - 1, i);
}

function charAt(s: string, i: number): string | undefined {
  if (i >= s.length) return undefined;
  return String.fromCodePoint(s.codePointAt(i) as number);
}

/**
 * Start indices of `needle` in `hay` (both normalised) on token boundaries: where the needle
 * begins with a letter or digit, the character before must not be one, and likewise at its
 * end. So "ten" is not found in "often" and "p" not in "help", while a needle that begins or
 * ends with punctuation ("<script>") needs no boundary on that side. A needle with no letter
 * or digit at all (SQuAD has the answer ".") has no token to match and is found nowhere.
 */
export function tokenBoundaryMatches(hay: string, needle: string): number[] {
  const out: number[] = [];
  if (!TOKEN_CHAR.test(needle)) return out;
  const wordStart = isTokenChar(charAt(needle, 0));
  const wordEnd = isTokenChar(charBefore(needle, needle.length));
  for (let i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) {
    if (wordStart && isTokenChar(charBefore(hay, i))) continue;
    if (wordEnd && isTokenChar(charAt(hay, i + needle.length))) continue;
    out.push(i);
  }
  return out;
}

/** A text normalised once under both hyphen readings, for repeated "does X appear in it" checks. */
export class NormalizedText {
  private readonly readings: readonly string[];

  constructor(source: string) {
    this.readings = READINGS.map((r) => normalizeText(source, r));
  }

  private static readingsOf(needle: string | NormalizedText): readonly string[] | null {
    const needles = needle instanceof NormalizedText ? needle.readings : READINGS.map((r) => normalizeText(needle, r));
    return needles.some((n) => n.length === 0) ? null : needles;
  }

  /**
   * True when `needle` appears in this text under either hyphen reading (on both sides), as a
   * plain substring: for quotes, which may start or end mid-word.
   */
  contains(needle: string | NormalizedText): boolean {
    const needles = NormalizedText.readingsOf(needle);
    if (!needles) return false;
    return this.readings.some((hay) => needles.some((n) => hay.includes(n)));
  }

  /** Like `contains`, but only on token boundaries: for answers ("ten" is not in "often"). */
  containsWord(needle: string | NormalizedText): boolean {
    const needles = NormalizedText.readingsOf(needle);
    if (!needles) return false;
    return this.readings.some((hay) => needles.some((n) => tokenBoundaryMatches(hay, n).length > 0));
  }
}

/**
 * Every occurrence of `needle` in `haystack` on token boundaries, as source spans of the
 * haystack (end exclusive), under both hyphen readings of each; sorted by start, no duplicates.
 */
export function findOccurrences(haystack: string, needle: string): Span[] {
  const needles = [...new Set(READINGS.map((r) => normalizeText(needle, r)))];
  if (needles.some((n) => n.length === 0)) return [];
  const found = new Map<string, Span>();
  for (const r of READINGS) {
    const hay = normalizeWithMap(haystack, r);
    for (const n of needles) {
      for (const i of tokenBoundaryMatches(hay.text, n)) {
        const span = { start: hay.map[i] as number, end: sourceEnd(haystack, hay.map[i + n.length - 1] as number) };
        found.set(`${span.start}:${span.end}`, span);
      }
    }
  }
  return [...found.values()].sort((a, b) => a.start - b.start || a.end - b.end);
}

/** True when `needle` appears in `haystack` on token boundaries, under either hyphen reading. */
export function appearsAsWord(needle: string, haystack: string): boolean {
  return new NormalizedText(haystack).containsWord(needle);
}

/** True when `needle` appears in `haystack` under either hyphen reading (on both sides). */
export function appears(needle: string, haystack: string): boolean {
  return new NormalizedText(haystack).contains(needle);
}

/** The source offset just after the character that starts at `offset` (2 for a surrogate pair). */
function sourceEnd(source: string, offset: number): number {
  return offset + ((source.codePointAt(offset) ?? 0) > 0xffff ? 2 : 1);
}

export interface Span {
  start: number;
  end: number;
}

/**
 * Where `needle` lies in `haystack`, as source offsets of the haystack (end exclusive),
 * under either hyphen reading; null when it does not appear.
 */
export function locate(haystack: string, needle: string): Span | null {
  for (const r of READINGS) {
    const hay = normalizeWithMap(haystack, r);
    for (const nr of READINGS) {
      const n = normalizeText(needle, nr);
      if (n.length === 0) return null;
      const i = hay.text.indexOf(n);
      if (i >= 0) {
        return { start: hay.map[i] as number, end: sourceEnd(haystack, hay.map[i + n.length - 1] as number) };
      }
    }
  }
  return null;
}

const STOPWORDS = new Set(
  'a an and are as at be by for from has have he her his in is it its of on or that the their they this to was were which who with'.split(' '),
);

/** Content tokens of the normalised text (alphanumeric runs, stopwords dropped). */
export function contentTokens(source: string): Set<string> {
  const out = new Set<string>();
  for (const t of normalizeText(source).split(/[^\p{L}\p{N}]+/u)) {
    if (t.length > 0 && !STOPWORDS.has(t)) out.add(t);
  }
  return out;
}

/** |A ∩ B| / min(|A|, |B|): 1 when one token set contains the other. */
export function overlapCoefficient(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const smaller = a.size <= b.size ? a : b;
  const larger = smaller === a ? b : a;
  if (smaller.size === 0) return 0;
  let shared = 0;
  for (const t of smaller) if (larger.has(t)) shared++;
  return shared / smaller.size;
}
