/**
 * Line breaking for the golden PDFs. We break lines ourselves instead of using pdfkit's
 * wrapper because a paragraph may switch fonts mid-line (CJK fallback), and pdfkit's
 * `continued` text can then split one line across a page break. Owning the lines also means
 * we know exactly which page each line lands on.
 */
import { fontFor, type FontFile } from './golden-fonts.ts';

/** A piece of text drawn in one font and one direction. */
export interface Run {
  font: FontFile;
  text: string;
  rtl: boolean;
}

/** Something that can be measured in points at the current font size. */
export type Measure = (run: Run) => number;

const RTL_CHAR = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}]/u;

/** Invisible format characters (zero-width space, direction marks): no glyph to extract. */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;

export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, '');
}

/** Hyphens and dashes, which text matching treats as '-'. */
const ENDS_WITH_DASH = /[-\u2010-\u2015\u2212]$/u;

/**
 * Units that are never broken: whitespace-separated words, except that consecutive
 * right-to-left words stay together so that the shaper orders them as one phrase, and a word
 * ending in a dash stays with the next word. A dash at a line end reads as a word split
 * ("impor- tant") to text matching, which would then miss "Treaty – instead".
 */
export function breakUnits(text: string): string[] {
  const units: string[] = [];
  let previousRtl = false;
  let glueNext = false;
  for (const word of text.split(/\s+/u).filter((w) => w.length > 0)) {
    const rtl = RTL_CHAR.test(word) && ![...word].some((c) => /\p{L}/u.test(c) && !RTL_CHAR.test(c));
    if ((rtl && previousRtl) || glueNext) units[units.length - 1] += ` ${word}`;
    else units.push(word);
    previousRtl = rtl;
    glueNext = ENDS_WITH_DASH.test(word);
  }
  return units;
}

/** Splits text into runs by font (first font with a glyph) and direction. */
export function toRuns(text: string, fonts: readonly FontFile[], where: string): Run[] {
  const runs: Run[] = [];
  for (const char of text) {
    const font = fontFor(char, fonts, where);
    const last = runs.at(-1);
    // Neutral characters (spaces, punctuation) join the run they are in.
    const rtl = RTL_CHAR.test(char) ? true : /[\p{L}\p{N}]/u.test(char) ? false : (last?.rtl ?? false);
    if (last && last.font === font && last.rtl === rtl) last.text += char;
    else runs.push({ font, text: char, rtl });
  }
  return runs;
}

/** Joins adjacent runs that share font and direction, so each is drawn in one call. */
function coalesce(runs: readonly Run[]): Run[] {
  const out: Run[] = [];
  for (const r of runs) {
    const last = out.at(-1);
    if (last && last.font === r.font && last.rtl === r.rtl) last.text += r.text;
    else out.push({ ...r });
  }
  return out;
}

/**
 * Greedy line filling: as many units as fit in `width`, one space between them. A unit wider
 * than a whole line is split between characters.
 */
export function layoutLines(text: string, fonts: readonly FontFile[], width: number, measure: Measure, where: string): Run[][] {
  const space: Run = { font: fonts[0] as FontFile, text: ' ', rtl: false };
  const spaceWidth = measure(space);
  const lines: Run[][] = [];
  let line: Run[] = [];
  let used = 0;
  const flush = (): void => {
    if (line.length > 0) lines.push(coalesce(line));
    line = [];
    used = 0;
  };
  for (const unit of breakUnits(text).flatMap((u) => splitOversized(u, fonts, width, measure, where))) {
    const runs = toRuns(unit, fonts, where);
    const unitWidth = runs.reduce((sum, r) => sum + measure(r), 0);
    if (line.length > 0 && used + spaceWidth + unitWidth > width) flush();
    if (line.length > 0) {
      line.push(space);
      used += spaceWidth;
    }
    line.push(...runs);
    used += unitWidth;
  }
  flush();
  return lines;
}

function splitOversized(unit: string, fonts: readonly FontFile[], width: number, measure: Measure, where: string): string[] {
  const widthOf = (s: string): number => toRuns(s, fonts, where).reduce((sum, r) => sum + measure(r), 0);
  if (widthOf(unit) <= width) return [unit];
  const pieces: string[] = [];
  let piece = '';
  for (const char of unit) {
    if (piece.length > 0 && widthOf(piece + char) > width) {
      pieces.push(piece);
      piece = '';
    }
    piece += char;
  }
  if (piece.length > 0) pieces.push(piece);
  return pieces;
}
