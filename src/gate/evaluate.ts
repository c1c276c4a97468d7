import type { GateCheck, RunResult, Summary, Verdict } from '../summary/schema.ts';
import { compareWithBaseline } from './baseline.ts';
import { compare } from './compare.ts';
import { readMetric } from './metrics.ts';
import { selectorMatches, specificity } from './select.ts';
import { DEFAULT_RULES, DEFAULT_THRESHOLDS, type Rule, type Thresholds } from './thresholds.ts';

export interface GateOptions {
  /** Parsed thresholds (ThresholdsSchema); the production targets when absent. */
  thresholds?: Thresholds;
  /** A previous summary: runs of the same id are compared under the tolerances. */
  baseline?: Summary;
}

interface ResolvedRule {
  rule: Rule;
  source: 'default' | 'thresholds';
  /** Selected by name under `runs:`: a run that does not measure it fails. */
  named: boolean;
}

/** Which rule applies to each metric of a run: named selectors over every-run rules over defaults. */
function rulesFor(runId: string, thresholds: Thresholds): Map<string, ResolvedRule> {
  const rules = new Map<string, ResolvedRule | null>();
  if (thresholds.defaults) for (const [m, rule] of Object.entries(DEFAULT_RULES)) rules.set(m, { rule, source: 'default', named: false });
  for (const [m, rule] of Object.entries(thresholds.all)) rules.set(m, rule && { rule, source: 'thresholds', named: false });
  const selected = thresholds.runs
    .map((s, i) => ({ ...s, rank: specificity(s.selector, i) }))
    .filter((s) => selectorMatches(s.selector, runId))
    .sort((a, b) => a.rank - b.rank);
  for (const s of selected) for (const [m, rule] of Object.entries(s.rules)) rules.set(m, rule && { rule, source: 'thresholds', named: true });
  return new Map([...rules].filter((e): e is [string, ResolvedRule] => e[1] !== null));
}

function statusCheck(run: RunResult): GateCheck {
  const pass = run.status === 'completed';
  const check: GateCheck = {
    name: 'run completed', metric: 'status', op: '==', threshold: 'completed', value: run.status,
    run: run.id, pass, status: pass ? 'pass' : 'fail', source: 'run',
  };
  if (run.error !== undefined) check.detail = run.error;
  return check;
}

function metricCheck(run: RunResult, metric: string, r: ResolvedRule): GateCheck {
  const base = { name: `${metric} ${r.rule.text}`, metric, op: r.rule.op, threshold: r.rule.value, run: run.id, source: r.source } as const;
  const value = run.status === 'completed' ? readMetric(run, metric) : undefined;
  if (value === undefined) {
    // Errored runs fail on their status check; a named rule on a metric the run lacks is a
    // misconfigured gate; otherwise the rule simply does not apply to this configuration.
    const fails = r.named && run.status === 'completed';
    return {
      ...base, value: null, pass: !fails, status: fails ? 'fail' : 'not-measured',
      detail: run.status !== 'completed' ? 'run errored' : fails ? 'required for this run but not measured' : 'not measured by this run',
    };
  }
  const pass = compare(value, r.rule.op, r.rule.value);
  return { ...base, value, pass, status: pass ? 'pass' : 'fail' };
}

/**
 * The gate: every rule applied to every run it selects, plus a baseline comparison when one is
 * given. GO when every check passes. Pure: the same inputs give the same verdict.
 */
export function evaluateGate(summary: Summary, options: GateOptions = {}): Verdict {
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const checks: GateCheck[] = [];
  const warnings: string[] = [];
  for (const { selector } of thresholds.runs) {
    if (summary.runs.some((r) => selectorMatches(selector, r.id))) continue;
    checks.push({
      name: `runs["${selector}"] selects a run`, metric: 'runs', op: '>=', threshold: 1, value: 0, run: selector,
      pass: false, status: 'fail', source: 'thresholds',
      detail: `no run id matches; ids: ${summary.runs.map((r) => r.id).join(', ') || '(none)'}`,
    });
  }
  if (summary.runs.length === 0) {
    // An empty matrix must not pass a CI gate by having nothing to fail.
    checks.push({
      name: 'summary has runs', metric: 'runs', op: '>=', threshold: 1, value: 0, run: '(summary)',
      pass: false, status: 'fail', source: 'run', detail: 'the summary has no runs: nothing was measured',
    });
  }
  for (const run of summary.runs) {
    checks.push(statusCheck(run));
    for (const [metric, rule] of rulesFor(run.id, thresholds)) checks.push(metricCheck(run, metric, rule));
  }
  for (const [metric, rule] of Object.entries(thresholds.all)) {
    if (!rule || summary.runs.length === 0) continue;
    if (!summary.runs.some((run) => readMetric(run, metric) !== undefined)) warnings.push(`no run measures ${metric}: its threshold checked nothing`);
  }
  const verdict: Verdict = { decision: 'GO', checks, triggers: [], warnings };
  if (options.baseline) {
    const b = compareWithBaseline(summary, options.baseline, thresholds);
    checks.push(...b.checks);
    verdict.triggers = b.triggers;
    warnings.push(...b.warnings);
    verdict.baseline = { runId: options.baseline.runId, startedAt: options.baseline.startedAt };
  }
  verdict.decision = checks.every((c) => c.pass) ? 'GO' : 'NO-GO';
  return verdict;
}

export function failedChecks(verdict: Verdict): GateCheck[] {
  return verdict.checks.filter((c) => !c.pass);
}
