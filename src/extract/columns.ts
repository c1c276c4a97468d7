/**
 * Column detection from text positions, shared by the pdfjs layout (to read columns in order)
 * and the router (to measure whether a document needs that). Works on line fragments: pieces
 * of text on one baseline with no wide gap inside.
 */

export interface Fragment {
  x0: number;
  x1: number;
  /** Baseline; only compared for equality and order, so either y direction works. */
  y: number;
  chars: number;
  /** Font size: the unit for gaps. */
  size: number;
}

/** A vertical band between two columns that (almost) no fragment crosses. */
export interface Gutter {
  x0: number;
  x1: number;
}

export type Side = 'left' | 'right' | 'span';

/** Fragments may cross the gutter up to this share (titles, headers and footers span the page). */
const MAX_CROSSING_SHARE = 0.1;
/** The gutter is searched for in the middle of the text's horizontal extent. */
const CENTRAL_BAND = [0.2, 0.8] as const;
/** A gutter at least this wide, in ems (article gutters are 1.3-3 em). */
const MIN_GUTTER_EM = 1;
/** Each column needs this many lines... */
const MIN_COLUMN_LINES = 5;
/** ...of prose, not table cells: median characters per line (two-column articles have 45-70). */
const MIN_COLUMN_LINE_CHARS = 25;

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** The gutter band may include the ragged ends of left-column lines: only crossing all of it spans. */
export function sideOf(f: Pick<Fragment, 'x0' | 'x1'>, gutter: Gutter): Side {
  if (f.x1 <= gutter.x1 + 0.5) return 'left';
  if (f.x0 >= gutter.x0 - 0.5) return 'right';
  return 'span';
}

/** Characters per line on one side: fragments on one baseline are one line. */
function lineLengths(fragments: readonly Fragment[]): number[] {
  const byBaseline = new Map<number, number>();
  for (const f of fragments) {
    const key = Math.round(f.y);
    byBaseline.set(key, (byBaseline.get(key) ?? 0) + f.chars);
  }
  return [...byBaseline.values()];
}

/** The widest vertical gap between two columns of prose, or undefined for a single column. */
export function findGutter(fragments: readonly Fragment[]): Gutter | undefined {
  const frags = fragments.filter((f) => f.chars > 0 && f.x1 > f.x0);
  if (frags.length < 2 * MIN_COLUMN_LINES) return undefined;
  const left = Math.floor(Math.min(...frags.map((f) => f.x0)));
  const right = Math.ceil(Math.max(...frags.map((f) => f.x1)));
  const width = right - left;
  // Coverage per 1-unit bin, by a difference array: O(fragments + width).
  const diff = new Int32Array(width + 2);
  for (const f of frags) {
    diff[Math.floor(f.x0) - left]! += 1;
    diff[Math.ceil(f.x1) - left]! -= 1;
  }
  // A running header and footer always may cross.
  const allowed = Math.max(2, Math.floor(frags.length * MAX_CROSSING_SHARE));
  const from = Math.floor(width * CENTRAL_BAND[0]);
  const to = Math.ceil(width * CENTRAL_BAND[1]);
  let best: Gutter | undefined;
  let coverage = 0;
  let runStart = -1;
  for (let i = 0; i <= to; i++) {
    coverage += diff[i]!;
    const open = i >= from && i < to && coverage <= allowed;
    if (open && runStart < 0) runStart = i;
    if (!open && runStart >= 0) {
      if (!best || i - runStart > best.x1 - best.x0) best = { x0: left + runStart, x1: left + i };
      runStart = -1;
    }
  }
  if (!best || best.x1 - best.x0 < MIN_GUTTER_EM * median(frags.map((f) => f.size))) return undefined;
  const gutter = best;
  for (const side of ['left', 'right'] as const) {
    const lengths = lineLengths(frags.filter((f) => sideOf(f, gutter) === side));
    if (lengths.length < MIN_COLUMN_LINES || median(lengths) < MIN_COLUMN_LINE_CHARS) return undefined;
  }
  return gutter;
}

/** How often content order jumps between the two columns (1 per section when read column by column). */
export function columnSwitches(fragments: readonly Fragment[], gutter: Gutter): number {
  let switches = 0;
  let last: Side | undefined;
  for (const f of fragments) {
    const side = sideOf(f, gutter);
    if (side === 'span') continue;
    if (last !== undefined && side !== last) switches++;
    last = side;
  }
  return switches;
}

/**
 * Reading order for a page with a gutter: full-width lines split the page into sections; each
 * section's left column, then its right column, each in content order. `top` tells which way
 * y grows (PDF user space: up).
 */
export function columnOrder<T extends Fragment>(fragments: readonly T[], gutter: Gutter, yUp: boolean): T[] {
  const above = (a: number, b: number): boolean => (yUp ? a > b : a < b);
  const spanYs = fragments.filter((f) => sideOf(f, gutter) === 'span').map((f) => f.y);
  const keyed = fragments.map((f, index) => {
    const side = sideOf(f, gutter);
    // A full-width line comes after everything above it; a column line after the full-width lines above it.
    const section = spanYs.filter((y) => (side === 'span' ? !above(f.y, y) : above(y, f.y))).length;
    return { f, index, section, column: side === 'span' ? 0 : side === 'left' ? 1 : 2 };
  });
  keyed.sort((a, b) => a.section - b.section || a.column - b.column || a.index - b.index);
  return keyed.map((k) => k.f);
}
