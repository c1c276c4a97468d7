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

function foldChar(c: string): string {
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

/** A text normalised once under both hyphen readings, for repeated "does X appear in it" checks. */
export class NormalizedText {
  private readonly readings: readonly string[];

  constructor(source: string) {
    this.readings = READINGS.map((r) => normalizeText(source, r));
  }

  /** True when `needle` appears in this text under either hyphen reading (on both sides). */
  contains(needle: string | NormalizedText): boolean {
    const needles = needle instanceof NormalizedText ? needle.readings : READINGS.map((r) => normalizeText(needle, r));
    if (needles.some((n) => n.length === 0)) return false;
    return this.readings.some((hay) => needles.some((n) => hay.includes(n)));
  }
}

/** True when `needle` appears in `haystack` under either hyphen reading (on both sides). */
export function appears(needle: string, haystack: string): boolean {
  return new NormalizedText(haystack).contains(needle);
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
        const lastChar = hay.map[i + n.length - 1] as number;
        return { start: hay.map[i] as number, end: lastChar + 1 };
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
