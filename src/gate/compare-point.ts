import { readMetric } from './metrics.ts';
import { beyond, checkName, fmt, judged, limitOf, opOf, relativeChange, type ComparisonContext, type ComparisonResult } from './comparison.ts';

/**
 * A metric without per-question data or samples (counts, ingest figures, later stages'
 * ratios): the two values under the tolerance, as they are. The detail says no test applies.
 */
export function comparePoint(ctx: ComparisonContext, b: number): ComparisonResult {
  const v = readMetric(ctx.run, ctx.metric);
  const m = ctx.metric;
  if (v === undefined) {
    return {
      check: {
        name: checkName(ctx), metric: m, op: opOf(ctx.tolerance), threshold: b, value: null, run: ctx.run.id, pass: false,
        status: 'fail', source: 'baseline', detail: `measured in the baseline (${fmt(m, b)}) but not in this run`,
      },
    };
  }
  const limit = limitOf(b, ctx.tolerance);
  const pass = !beyond(v, limit, ctx.tolerance);
  const detail = `${fmt(m, v)} vs baseline ${fmt(m, b)}${relativeChange(v, b)}; tolerance ${ctx.tolerance.text}, limit ${fmt(m, limit)} (values compared as measured: no per-question data or samples to test)`;
  return judged(ctx, { baseline: b, value: v, limit, pass, detail, test: { method: 'none (single values)', pValue: null, level: ctx.level, significant: !pass } });
}
