/**
 * Rebuilds a page's text from positioned text runs (pdf.js text items): line breaks from
 * baselines, paragraph breaks from vertical gaps, spaces from horizontal gaps. Runs are taken
 * in content-stream order, which is reading order in most PDFs (TeX, Office, pdfkit), except
 * on pages with two columns of prose: those are read column by column (see ./columns.ts), which
 * fixes PDFs that draw both columns line by line across the page.
 */
import { columnOrder, findGutter } from './columns.ts';

/** A piece of text at a position in PDF user space (y grows upwards). */
export interface TextRun {
  text: string;
  x: number;
  y: number;
  width: number;
  /** Font size in user space units. */
  size: number;
}

/** Gap between runs on one line, in ems, above which a space is inserted (TeX's narrowest word space is ~0.22 em). */
const SPACE_GAP_EM = 0.15;
/** A gap this wide (in ems) on one baseline separates fragments: columns, table cells. Word spaces stay below ~0.6 em. */
export const FRAGMENT_GAP_EM = 1;
/** Baselines closer than this (in ems of the larger font) are one line: tolerates super- and subscripts. */
const SAME_LINE_EM = 0.5;
/** A line pitch this much larger than the page's usual pitch (relative to font size) starts a paragraph. */
const PARAGRAPH_GAP_FACTOR = 1.2;

/** Text on one baseline, from `left` to `right`. */
export interface Line {
  text: string;
  y: number;
  left: number;
  right: number;
  size: number;
}

function endsWithSpace(s: string): boolean {
  return /\s$/.test(s);
}

/** Groups runs into lines in content order; a gap wider than `maxGapEm` starts a new line. */
export function buildLines(runs: readonly TextRun[], maxGapEm = Infinity): Line[] {
  const lines: Line[] = [];
  let line: Line | undefined;
  for (const run of runs) {
    if (run.text.trim() === '') continue; // pdf.js's own space items: gaps are measured below
    const size = run.size > 0 ? run.size : 1;
    const sameLine =
      line !== undefined &&
      Math.abs(run.y - line.y) <= SAME_LINE_EM * Math.max(size, line.size) &&
      run.x >= line.left - SAME_LINE_EM * size &&
      run.x - line.right <= maxGapEm * size;
    if (line && sameLine) {
      const gap = run.x - line.right;
      if (gap > SPACE_GAP_EM * size && !endsWithSpace(line.text) && !/^\s/.test(run.text)) line.text += ' ';
      line.text += run.text;
      line.right = Math.max(line.right, run.x + run.width);
      // A line's baseline and size are its main text's, not a superscript's.
      if (size > line.size) {
        line.size = size;
        line.y = run.y;
      }
    } else {
      line = { text: run.text, y: run.y, left: run.x, right: run.x + run.width, size };
      lines.push(line);
    }
  }
  for (const l of lines) l.text = l.text.trim();
  return lines;
}

/** The most common value, to a 0.05 grid; the smaller on ties. Body text is the most common line spacing. */
function mode(values: readonly number[]): number | undefined {
  const counts = new Map<number, number>();
  for (const v of values) {
    const key = Math.round(v * 20) / 20;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let best: [number, number] | undefined;
  for (const [value, count] of counts) {
    if (!best || count > best[1] || (count === best[1] && value < best[0])) best = [value, count];
  }
  return best?.[0];
}

function lineAsRun(l: Line): TextRun {
  return { text: l.text, x: l.left, y: l.y, width: l.right - l.left, size: l.size };
}

/** Fragments in reading order: content order, or column by column when the page has two columns. */
function readingOrder(runs: readonly TextRun[]): TextRun[] {
  const fragments = buildLines(runs, FRAGMENT_GAP_EM).filter((l) => l.text !== '');
  const asFragments = fragments.map((l) => ({ line: l, x0: l.left, x1: l.right, y: l.y, chars: l.text.length, size: l.size }));
  const gutter = findGutter(asFragments);
  const ordered = gutter ? columnOrder(asFragments, gutter, true) : asFragments;
  return ordered.map((f) => lineAsRun(f.line));
}

/** The page's text: lines joined by "\n", paragraphs by "\n\n". */
export function layoutPage(runs: readonly TextRun[]): string {
  const lines = buildLines(readingOrder(runs)).filter((l) => l.text !== '');
  // Line pitch relative to the smaller font size (so a heading's extra space counts). The usual
  // pitch is the body text's: the most common one (a median would let code examples' wider
  // spacing, common in manuals, pass for it).
  const pitches: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1] as Line;
    const b = lines[i] as Line;
    const drop = a.y - b.y;
    if (drop > 0) pitches.push(drop / Math.min(a.size, b.size));
  }
  const usual = mode(pitches) ?? 1.2;
  let out = '';
  for (const [i, line] of lines.entries()) {
    if (i > 0) {
      const prev = lines[i - 1] as Line;
      const drop = prev.y - line.y;
      const paragraph = drop <= 0 || drop / Math.min(prev.size, line.size) > usual * PARAGRAPH_GAP_FACTOR;
      out += paragraph ? '\n\n' : '\n';
    }
    out += line.text;
  }
  return out;
}
