import type { Summary } from '../summary/schema.ts';

/**
 * Which questions two summaries both scored: per-question outcomes (`runs[].perQuestion`) are
 * aligned with `golden.sample.ids`, so pairs are matched by question id, never by position.
 */
export interface QuestionAlignment {
  /** Index into the baseline's and this summary's per-question arrays, for each shared question. */
  baseline: number[];
  current: number[];
  /** Both summaries scored exactly the same questions in the same order. */
  identical: boolean;
  baselineSize: number;
  currentSize: number;
}

export function alignQuestions(summary: Summary, baseline: Summary): QuestionAlignment {
  const baseIds = baseline.golden.sample.ids;
  const ids = summary.golden.sample.ids;
  const at = new Map(baseIds.map((id, i) => [id, i]));
  const out: QuestionAlignment = { baseline: [], current: [], identical: false, baselineSize: baseIds.length, currentSize: ids.length };
  ids.forEach((id, i) => {
    const j = at.get(id);
    if (j === undefined) return;
    out.baseline.push(j);
    out.current.push(i);
  });
  out.identical = baseIds.length === ids.length && baseIds.every((id, i) => ids[i] === id);
  return out;
}

/** A warning when the samples differ (compared on the shared questions only), else undefined. */
export function alignmentWarning(a: QuestionAlignment, summary: Summary, baseline: Summary): string | undefined {
  if (a.identical) return undefined;
  const sets = `the baseline scored ${a.baselineSize} questions of "${baseline.golden.name}", this summary ${a.currentSize} of "${summary.golden.name}"`;
  if (a.current.length === 0) return `${sets}, with no question in common: accuracy is not compared (re-run the baseline on the same sample)`;
  return `${sets}: accuracy is compared on the ${a.current.length} shared questions only`;
}
