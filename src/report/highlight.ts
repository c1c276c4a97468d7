import { READINGS, normalizeText, normalizeWithMap, tokenBoundaryMatches, type MappedText } from '../text/normalize.ts';

/** [start, end) offsets into the source text. */
export type Mark = [number, number];

/**
 * Answer marks for many texts: each text is normalised once per hyphen reading and each
 * answer once, however many questions retrieve the same chunk.
 */
export class AnswerMarker {
  private readonly texts = new Map<string, MappedText[]>();
  private readonly needles = new Map<string, string[]>();

  private readingsOf(text: string): MappedText[] {
    let r = this.texts.get(text);
    if (!r) {
      r = READINGS.map((reading) => normalizeWithMap(text, reading));
      this.texts.set(text, r);
    }
    return r;
  }

  private needlesOf(answer: string): string[] {
    let n = this.needles.get(answer);
    if (!n) {
      n = [...new Set(READINGS.map((reading) => normalizeText(answer, reading)))].filter((x) => x.length > 0);
      this.needles.set(answer, n);
    }
    return n;
  }

  /**
   * Every place an answer appears in `text`, matched the way the metrics match (NFKC, case,
   * quotes, dashes, whitespace, line-end hyphens, on token boundaries: "ten" is not marked in
   * "often"), as sorted, merged source offsets. The report draws them as <mark> elements
   * around text nodes: offsets, never markup.
   */
  marks(text: string, answers: readonly string[]): Mark[] {
    const found: Mark[] = [];
    const needles = answers.flatMap((a) => this.needlesOf(a));
    if (needles.length === 0) return found;
    for (const hay of this.readingsOf(text)) {
      for (const needle of needles) {
        for (const i of tokenBoundaryMatches(hay.text, needle)) {
          const last = hay.map[i + needle.length - 1] as number;
          // A character outside the BMP is two code units in the source.
          found.push([hay.map[i] as number, last + ((text.codePointAt(last) ?? 0) > 0xffff ? 2 : 1)]);
        }
      }
    }
    return mergeMarks(found);
  }
}

/** Answer marks of one text (see AnswerMarker.marks). */
export function answerMarks(text: string, answers: readonly string[]): Mark[] {
  return new AnswerMarker().marks(text, answers);
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
