/**
 * Aligns one extraction with its reference for block-wise edit distance.
 *
 * Parts (chapters) are matched by pages, exactly (./references.ts). Inside a part, each section
 * starts where its anchor (heading, or a paragraph's first words) is next found in the extracted
 * text after the previous section's start, on word boundaries; a section whose anchor is not
 * found is merged into the one before. Any cut gives an upper bound on the distance (see
 * ./measures.ts), so a missed or wrong anchor can only lower the similarity, never raise it.
 * Footnotes are the exception to keeping order: the HTML puts them at the end, the PDF at a
 * page's foot, so each is cut out wherever the extraction has it (found by its first 8 words)
 * and scored as a block of its own — a move, which plain Levenshtein would charge twice its
 * length. A footnote not found stays at the end of its section's reference text.
 * A block still longer than MAX_BLOCK characters is cut into equal shares on both sides, which
 * keeps Levenshtein's quadratic cost bounded (about 0.2 s a block).
 */
import type { PageText } from '../../extract/types.ts';
import type { BlockPair } from './measures.ts';
import { bodyText } from './page-text.ts';
import { firstWords, referenceText, type ReferenceDocument, type ReferencePart } from './references.ts';

export const MAX_BLOCK = 40_000;

export interface Alignment {
  blocks: BlockPair[];
  /** All reference text and all scored extracted text (the parts' pages), each joined by spaces. */
  referenceText: string;
  extractedText: string;
  /** Sections whose start was found in the extraction, of those that have an anchor. */
  anchorsFound: number;
  anchors: number;
  /** Footnotes scored where the extraction has them, of all footnotes. */
  footnotesFound: number;
  footnotes: number;
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}\p{M}]/u.test(c);
}

/** First index ≥ from where `needle` occurs in `hay` not inside a word; -1 if none. */
export function findOnWordBoundary(hay: string, needle: string, from: number): number {
  if (needle === '') return -1;
  for (let i = hay.indexOf(needle, from); i >= 0; i = hay.indexOf(needle, i + 1)) {
    const before = isWordChar(hay[i - 1]) && isWordChar(needle[0]);
    const after = isWordChar(hay[i + needle.length]) && isWordChar(needle[needle.length - 1]);
    if (!before && !after) return i;
  }
  return -1;
}

/** Cuts an over-long pair into equal shares so that each share stays under MAX_BLOCK. */
export function boundBlock(pair: BlockPair, max = MAX_BLOCK): BlockPair[] {
  const shares = Math.ceil(Math.max(pair.reference.length, pair.extracted.length) / max);
  if (shares <= 1) return [pair];
  const out: BlockPair[] = [];
  for (let k = 0; k < shares; k++) {
    const cut = (s: string): string => s.slice(Math.round((k * s.length) / shares), Math.round(((k + 1) * s.length) / shares));
    out.push({ reference: cut(pair.reference), extracted: cut(pair.extracted) });
  }
  return out;
}

/** Footnotes shorter than this stay in their section's text: their opening would be found anywhere. */
const MIN_FLOAT_WORDS = 4;

/**
 * Scores each footnote as a block of its own wherever the extraction has it (found by its first
 * words, anywhere in the part) and cuts it out of the part's text. Returns the rest of the text
 * and the footnotes not found, by section, to be scored inside their section.
 */
function placeFootnotes(part: ReferencePart, text: string, blocks: BlockPair[]): { rest: string; unplaced: Map<number, string[]>; found: number } {
  let rest = text;
  let found = 0;
  const unplaced = new Map<number, string[]>();
  part.sections.forEach((s, i) => {
    for (const note of s.footnotes) {
      const at = note.split(' ').length >= MIN_FLOAT_WORDS ? findOnWordBoundary(rest, firstWords(note), 0) : -1;
      if (at < 0) {
        unplaced.set(i, [...(unplaced.get(i) ?? []), note]);
        continue;
      }
      const end = Math.min(rest.length, at + note.length);
      blocks.push({ reference: note, extracted: rest.slice(at, end).trim() });
      rest = `${rest.slice(0, at).trimEnd()} ${rest.slice(end).trimStart()}`.trim();
      found++;
    }
  });
  return { rest, unplaced, found };
}

export function alignExtraction(ref: ReferenceDocument, pages: readonly PageText[]): Alignment {
  const blocks: BlockPair[] = [];
  const extTexts: string[] = [];
  let anchors = 0;
  let anchorsFound = 0;
  let footnotes = 0;
  let footnotesFound = 0;
  for (const part of ref.parts) {
    const whole = bodyText(pages, ref.runningLines, part.firstPage, part.lastPage);
    extTexts.push(whole);
    const { rest: extracted, unplaced, found } = placeFootnotes(part, whole, blocks);
    footnotes += part.sections.reduce((n, s) => n + s.footnotes.length, 0);
    footnotesFound += found;
    // Section starts in the extraction; the first section starts the part.
    const starts: { at: number; reference: string[] }[] = [];
    let cursor = 0;
    for (const [i, s] of part.sections.entries()) {
      const text = [s.text, ...(unplaced.get(i) ?? [])].join(' ');
      const at = i === 0 ? 0 : findOnWordBoundary(extracted, s.anchor, cursor);
      if (i > 0 && s.anchor !== '') anchors++;
      if (at < 0) {
        starts.at(-1)?.reference.push(text);
        continue;
      }
      if (i > 0) anchorsFound++;
      starts.push({ at, reference: [text] });
      cursor = at + 1;
    }
    starts.forEach((s, k) => {
      const end = starts[k + 1]?.at ?? extracted.length;
      blocks.push(...boundBlock({ reference: s.reference.join(' '), extracted: extracted.slice(s.at, end).trim() }));
    });
  }
  return { blocks, referenceText: referenceText(ref), extractedText: extTexts.join(' '), anchorsFound, anchors, footnotesFound, footnotes };
}
