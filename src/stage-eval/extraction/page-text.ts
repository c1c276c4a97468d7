/**
 * One normalisation for both sides of every comparison: the golden format's text matching
 * (src/text/normalize.ts: NFKC, so ligatures like "ﬁ" become "fi"; case-fold; typographic quotes
 * and dashes to ASCII; any run of whitespace to one space; a hyphen at a line end joined,
 * "impor-\ntant" -> "important" — which also joins a compound broken after its own hyphen,
 * "command-\nline" -> "commandline", the same on both sides).
 */
import type { PageText } from '../../extract/types.ts';
import { normalizeText } from '../../text/normalize.ts';

export function normalizeForScoring(text: string): string {
  return normalizeText(text, 'join');
}

/**
 * Drops the page's running lines (already normalised) from the start and end of its normalised
 * text, in any order: one extractor prints "Chapter 2: R Basics" and "6" as two lines, another
 * as one.
 */
export function stripRunningLines(pageText: string, running: readonly string[]): string {
  let text = pageText;
  const left = running.filter((r) => r !== '');
  for (let changed = true; changed && left.length > 0; ) {
    changed = false;
    for (let i = 0; i < left.length; i++) {
      const r = left[i] as string;
      if (text === r) text = '';
      else if (text.startsWith(`${r} `)) text = text.slice(r.length + 1);
      else if (text.endsWith(` ${r}`)) text = text.slice(0, text.length - r.length - 1);
      else continue;
      left.splice(i, 1);
      changed = true;
      break;
    }
  }
  return text;
}

/**
 * The normalised text of pages `first`..`last` (1-based, inclusive) without their running
 * lines. Pages are joined by a line break before a last normalisation, so a word hyphenated
 * across two pages is joined too. A page the extractor did not return counts as empty.
 */
export function bodyText(pages: readonly PageText[], runningLines: readonly (readonly string[])[], first: number, last: number): string {
  const byNumber = new Map(pages.map((p) => [p.page, p.text]));
  const parts: string[] = [];
  for (let page = first; page <= last; page++) {
    const running = (runningLines[page - 1] ?? []).map(normalizeForScoring);
    parts.push(stripRunningLines(normalizeForScoring(byNumber.get(page) ?? ''), running));
  }
  return normalizeForScoring(parts.join('\n'));
}
