import type { GateCheck, RollbackTrigger, RunResult } from '../summary/schema.ts';
import type { BootstrapSettings } from '../stats/bootstrap.ts';
import type { QuestionAlignment } from './align.ts';
import { formatValue } from './metrics.ts';
import type { Tolerance } from './thresholds.ts';

/** What every comparison of a run with its baseline run needs. */
export interface ComparisonContext {
  run: RunResult;
  base: RunResult;
  metric: string;
  tolerance: Tolerance;
  /** Two-sided significance level α; intervals are at confidence 1 − α. */
  level: number;
  /** Resamples and seed of the bootstraps (the summary's settings.statistics). */
  bootstrap: BootstrapSettings;
  alignment: QuestionAlignment;
}

export interface ComparisonResult {
  check: GateCheck;
  trigger?: RollbackTrigger;
}

export type TestRecord = NonNullable<GateCheck['test']>;

export function checkName(ctx: ComparisonContext): string {
  return `baseline ${ctx.metric} ${ctx.tolerance.text}`;
}

export function opOf(tol: Tolerance): '<=' | '>=' {
  return tol.worse === 'up' ? '<=' : '>=';
}

/** The worst value the tolerance accepts. */
export function limitOf(base: number, tol: Tolerance): number {
  const amount = tol.relative ? Math.abs(base) * tol.amount : tol.amount;
  return tol.worse === 'up' ? base + amount : base - amount;
}

/** Beyond the limit in the worse direction (with float slack, so "-0.01" allows exactly 0.01). */
export function beyond(value: number, limit: number, tol: Tolerance): boolean {
  const eps = 1e-9 * Math.max(1, Math.abs(limit));
  return tol.worse === 'up' ? value > limit + eps : value < limit - eps;
}

export function relativeChange(value: number, base: number): string {
  if (base === 0) return '';
  const pct = ((value - base) / Math.abs(base)) * 100;
  return ` (${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%)`;
}

export function formatP(p: number | null): string {
  if (p === null) return 'p n/a';
  return p < 0.001 ? `p = ${p.toExponential(1)}` : `p = ${p.toFixed(3)}`;
}

export function formatInterval(i: { low: number; high: number }, digits = 3): string {
  return `[${i.low.toFixed(digits)}, ${i.high.toFixed(digits)}]`;
}

/**
 * A comparison that cannot be made honestly (no per-question data, no shared questions, no
 * timed samples): a `warn` check that says why, never a silent pass.
 */
export function refused(ctx: ComparisonContext, baselineValue: number, why: string): ComparisonResult {
  return {
    check: {
      name: checkName(ctx), metric: ctx.metric, op: opOf(ctx.tolerance), threshold: limitOf(baselineValue, ctx.tolerance),
      value: null, run: ctx.run.id, pass: false, status: 'warn', source: 'baseline', blocking: false,
      detail: `not compared: ${why}`,
    },
  };
}

/** The check (and, when it fails, the rollback trigger) of a tested comparison. */
export function judged(
  ctx: ComparisonContext,
  r: { baseline: number; value: number; limit: number; pass: boolean; detail: string; test: TestRecord; samples?: { baseline: number; current: number } },
): ComparisonResult {
  const check: GateCheck = {
    name: checkName(ctx), metric: ctx.metric, op: opOf(ctx.tolerance), threshold: r.limit, value: r.value, run: ctx.run.id,
    pass: r.pass, status: r.pass ? 'pass' : 'fail', source: 'baseline', detail: r.detail, test: r.test,
  };
  if (r.pass) return { check };
  const { significant: _, ...test } = r.test;
  const trigger: RollbackTrigger = {
    run: ctx.run.id, metric: ctx.metric, baseline: r.baseline, value: r.value, tolerance: ctx.tolerance.text, limit: r.limit,
    test, message: `${ctx.metric} regressed on run "${ctx.run.id}": ${r.detail}`,
  };
  if (r.samples) trigger.samples = r.samples;
  return { check, trigger };
}

export const fmt = (metric: string, v: number): string => formatValue(metric, v);

/** The end of a comparison's detail: why it passed or failed, in words. */
export function verdictText(exceeds: boolean, significant: boolean, level: number): string {
  if (!exceeds) return 'within tolerance';
  return significant ? `beyond tolerance and significant at α = ${level}` : `beyond tolerance but not significant at α = ${level} (noise)`;
}
