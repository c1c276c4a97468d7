import type { RunResult } from '../summary/schema.ts';
import { topScoresWithFloor } from '../evaluate/intervals.ts';
import { mcnemarExact } from '../stats/mcnemar.ts';
import { pairedAurocDifference, pairedMeanDifference, pairedRatioDifference } from '../stats/paired.ts';
import type { TestedEstimate } from '../stats/bootstrap.ts';
import type { MetricTest } from './metrics.ts';
import {
  beyond,
  fmt,
  formatInterval,
  formatP,
  judged,
  limitOf,
  refused,
  relativeChange,
  type ComparisonContext,
  type ComparisonResult,
  type TestRecord,
 verdictText } from './comparison.ts';

type Column = (number | null)[];

/** A per-question column of a run, checked against the sample size; a string says what is wrong. */
function column(run: RunResult, key: string, size: number, side: string): Column | string {
  const values = run.perQuestion?.[key];
  if (!run.perQuestion) return `the ${side} run has no per-question outcomes (runs[].perQuestion)`;
  if (!values) return `the ${side} run has no perQuestion.${key}`;
  if (values.length !== size) return `the ${side} run's perQuestion.${key} has ${values.length} values for ${size} questions`;
  return values;
}

/** The shared questions' values, baseline first. */
function paired(ctx: ComparisonContext, key: string): { base: Column; cur: Column } | string {
  const b = column(ctx.base, key, ctx.alignment.baselineSize, 'baseline');
  if (typeof b === 'string') return b;
  const c = column(ctx.run, key, ctx.alignment.currentSize, 'current');
  if (typeof c === 'string') return c;
  return { base: ctx.alignment.baseline.map((i) => b[i] ?? null), cur: ctx.alignment.current.map((i) => c[i] ?? null) };
}

interface Tested {
  baseline: number;
  value: number;
  /** Questions behind the comparison (pairs with both values). */
  pairs: number;
  /** Interval and p-value of the difference (current − baseline). */
  diff: TestedEstimate;
  method: string;
  /** McNemar's p decides for binary metrics; otherwise the bootstrap interval. */
  pValue: number;
  decideByP: boolean;
}

function test(ctx: ComparisonContext, t: Exclude<MetricTest, { kind: 'quantile' }>): Tested | string {
  const settings = { ...ctx.bootstrap, confidence: 1 - ctx.level };
  const resampling = `${settings.resamples} resamples, seed ${settings.seed}`;
  if (t.kind === 'binary' || t.kind === 'graded') {
    const p = paired(ctx, t.key);
    if (typeof p === 'string') return p;
    const diff = pairedMeanDifference(p.base, p.cur, settings);
    if (!diff) return `no shared question has perQuestion.${t.key} in both runs`;
    if (t.kind === 'binary') {
      const isBinary = (c: Column) => c.every((v) => v === null || v === 0 || v === 1);
      if (!isBinary(p.base) || !isBinary(p.cur)) return `perQuestion.${t.key} holds values other than 0, 1 and null`;
      const m = mcnemarExact(p.base, p.cur);
      return {
        baseline: diff.firstMean, value: diff.secondMean, pairs: diff.pairs, diff, pValue: m.pValue, decideByP: true,
        method: `exact McNemar (b = ${m.b} right only in the baseline, c = ${m.c} right only now); interval: paired bootstrap (${resampling})`,
      };
    }
    return { baseline: diff.firstMean, value: diff.secondMean, pairs: diff.pairs, diff, pValue: diff.pValue, decideByP: false, method: `paired bootstrap of the mean difference (${resampling})` };
  }
  if (t.kind === 'ratio') {
    const num = paired(ctx, t.numerator);
    if (typeof num === 'string') return num;
    const den = paired(ctx, t.denominator);
    if (typeof den === 'string') return den;
    const diff = pairedRatioDifference({ numerators: num.base, denominators: den.base }, { numerators: num.cur, denominators: den.cur }, settings);
    if (!diff) return `no shared question has ${t.numerator} and ${t.denominator} in both runs`;
    return { baseline: diff.firstValue, value: diff.secondValue, pairs: diff.pairs, diff, pValue: diff.pValue, decideByP: false, method: `paired bootstrap of Σ${t.numerator} / Σ${t.denominator} (${resampling})` };
  }
  const scores = paired(ctx, 'topScore');
  if (typeof scores === 'string') return scores;
  const answerable = paired(ctx, 'semanticAccuracy');
  if (typeof answerable === 'string') return answerable;
  const labels = answerable.cur.map((v) => v !== null);
  if (answerable.base.some((v, i) => (v !== null) !== labels[i])) return 'the runs disagree on which shared questions are answerable';
  const diff = pairedAurocDifference(topScoresWithFloor(scores.base), topScoresWithFloor(scores.cur), labels, settings);
  if (!diff) return 'the shared questions are all answerable or all unanswerable';
  return { baseline: diff.firstValue, value: diff.secondValue, pairs: labels.length, diff, pValue: diff.pValue, decideByP: false, method: `paired bootstrap of the AUROC difference, stratified by class (${resampling})` };
}

/**
 * An accuracy metric against the baseline, paired on the questions both scored: a regression
 * only when the change is beyond the tolerance AND significant at level α (exact McNemar for
 * 0/1 outcomes, a paired bootstrap interval of the difference otherwise).
 */
export function compareAccuracy(ctx: ComparisonContext, t: Exclude<MetricTest, { kind: 'quantile' }>, baselineValue: number): ComparisonResult {
  if (ctx.alignment.current.length === 0) return refused(ctx, baselineValue, 'the two summaries share no question (golden.sample.ids): re-run the baseline on the same sample');
  const r = test(ctx, t);
  if (typeof r === 'string') return refused(ctx, baselineValue, `${r}: a paired test is not possible`);
  const limit = limitOf(r.baseline, ctx.tolerance);
  const exceeds = beyond(r.value, limit, ctx.tolerance);
  const worseSide = ctx.tolerance.worse === 'down' ? r.diff.high < 0 : r.diff.low > 0;
  const significant = r.decideByP ? r.pValue < ctx.level && (ctx.tolerance.worse === 'down' ? r.value < r.baseline : r.value > r.baseline) : worseSide;
  const pass = !(exceeds && significant);
  const m = ctx.metric;
  const on = ctx.alignment.identical ? `${r.pairs} questions` : `${r.pairs} shared questions`;
  const interval = { low: r.diff.low, high: r.diff.high };
  const verdict = verdictText(exceeds, significant, ctx.level);
  const detail =
    `${fmt(m, r.value)} vs baseline ${fmt(m, r.baseline)}${relativeChange(r.value, r.baseline)} on ${on}; ` +
    `difference ${r.diff.estimate >= 0 ? '+' : ''}${r.diff.estimate.toFixed(4)}, ${Math.round((1 - ctx.level) * 100)}% interval ${formatInterval(interval, 4)}, ${formatP(r.pValue)} (${r.method}); ` +
    `tolerance ${ctx.tolerance.text}, limit ${fmt(m, limit)}: ${verdict}`;
  const record: TestRecord = { method: r.method, pValue: r.pValue, interval, level: ctx.level, significant };
  return judged(ctx, { baseline: r.baseline, value: r.value, limit, pass, detail, test: record, samples: { baseline: r.pairs, current: r.pairs } });
}
