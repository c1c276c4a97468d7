import type { TokenRange } from './tokens.ts';

/** The ranges merged into disjoint, sorted ones (touching ranges join); empty ranges dropped. */
export function unionOf(ranges: readonly TokenRange[]): TokenRange[] {
  const sorted = ranges.filter((r) => r.to > r.from).sort((a, b) => a.from - b.from);
  const out: TokenRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to) last.to = Math.max(last.to, r.to);
    else out.push({ ...r });
  }
  return out;
}

/** Tokens in disjoint ranges. */
export function sizeOf(disjoint: readonly TokenRange[]): number {
  return disjoint.reduce((n, r) => n + (r.to - r.from), 0);
}

/** Tokens shared by two lists of disjoint, sorted ranges (unionOf's output). */
export function sharedSize(a: readonly TokenRange[], b: readonly TokenRange[]): number {
  let shared = 0;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as TokenRange;
    const y = b[j] as TokenRange;
    shared += Math.max(0, Math.min(x.to, y.to) - Math.max(x.from, y.from));
    if (x.to <= y.to) i++;
    else j++;
  }
  return shared;
}
