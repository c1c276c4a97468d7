import { READINGS, normalizeText, normalizeWithMap } from '../text/normalize.ts';

/** [start, end) offsets into the source text. */
export type Mark = [number, number];

/**
 * Every place an answer appears in `text`, matched the way the metrics match (NFKC, case,
 * quotes, dashes, whitespace, line-end hyphens), as sorted, merged source offsets. The
 * report draws them as <mark> elements around text nodes: offsets, never markup.
 */
export function answerMarks(text: string, answers: readonly string[]): Mark[] {
  const found: Mark[] = [];
  for (const reading of READINGS) {
    const hay = normalizeWithMap(text, reading);
    for (const answer of answers) {
      for (const r of READINGS) {
        const needle = normalizeText(answer, r);
        if (needle.length === 0) continue;
        for (let i = hay.text.indexOf(needle); i >= 0; i = hay.text.indexOf(needle, i + needle.length)) {
          const last = hay.map[i + needle.length - 1] as number;
          found.push([hay.map[i] as number, last + 1]);
        }
      }
    }
  }
  return mergeMarks(found);
}

export function mergeMarks(marks: Mark[]): Mark[] {
  const sorted = [...marks].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Mark[] = [];
  for (const m of sorted) {
    const last = out[out.length - 1];
    if (last && m[0] <= last[1]) last[1] = Math.max(last[1], m[1]);
    else out.push([m[0], m[1]]);
  }
  return out;
}

/** Cuts long text for the report, keeping the marks that still fit. */
export function clip(text: string, marks: Mark[], max: number): { text: string; marks: Mark[]; clipped: boolean } {
  if (text.length <= max) return { text, marks, clipped: false };
  return {
    text: text.slice(0, max),
    marks: marks.filter((m) => m[0] < max).map((m): Mark => [m[0], Math.min(m[1], max)]),
    clipped: true,
  };
}
