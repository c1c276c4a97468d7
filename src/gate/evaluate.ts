import { rollbackChecks } from './rollbacks.ts';
import type { GateCheck, RunResult, Summary, Verdict } from '../summary/schema.ts';
import { compareWithBaseline } from './baseline.ts';
import { compare } from './compare.ts';
import { readMetric } from './metrics.ts';
import { runMatches, specificity } from './select.ts';
import { DEFAULT_RULES, DEFAULT_THRESHOLDS, modePolicy, type GateMode, type Rule, type Thresholds } from './thresholds.ts';

export interface GateOptions {
  /** Parsed thresholds (ThresholdsSchema); the production targets when absent. */
  thresholds?: Thresholds;
  /** A previous summary: runs of the same id (else name) are compared under the tolerances. */
  baseline?: Summary;
  /** What blocks: local and predeploy block on targets and regressions, nightly on regressions only. */
  mode?: GateMode;
}

interface ResolvedRule {
  rule: Rule;
  source: 'default' | 'thresholds';
  /** Selected by name under `runs:`: a run that does not measure it fails. */
  named: boolean;
}

/** Which rule applies to each metric of a run: named selectors over every-run rules over defaults. */
function rulesFor(run: RunResult, thresholds: Thresholds): Map<string, ResolvedRule> {
  const rules = new Map<string, ResolvedRule | null>();
  if (thresholds.defaults) for (const [m, rule] of Object.entries(DEFAULT_RULES)) rules.set(m, { rule, source: 'default', named: false });
  for (const [m, rule] of Object.entries(thresholds.all)) rules.set(m, rule && { rule, source: 'thresholds', named: false });
  const selected = thresholds.runs
    .map((s, i) => ({ ...s, rank: specificity(s.selector, i) }))
    .filter((s) => runMatches(s.selector, run))
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
      detail: run.status !== 'completed' ? `run ${run.status}` : fails ? 'required for this run but not measured' : 'not measured by this run',
    };
  }
  const pass = compare(value, r.rule.op, r.rule.value);
  const lost = pass ? undefined : migrationLoss(run, metric);
  return { ...base, value, pass, status: pass ? 'pass' : 'fail', ...(lost && { detail: lost }) };
}

/** A failed migration check names what was lost: the validation's own sentences and example ids. */
function migrationLoss(run: RunResult, metric: string): string | undefined {
  if (!metric.startsWith('migration.') || !run.migration) return undefined;
  const m = run.migration;
  return m.problems.length > 0 ? m.problems.join('; ') : undefined;
}

/** A failed check that must not decide: reported as `warn`, with why. */
function demote(check: GateCheck, why: string): GateCheck {
  if (check.status !== 'fail') return { ...check, blocking: false };
  return { ...check, status: 'warn', blocking: false, detail: check.detail ? `${check.detail}; ${why}` : why };
}

/** A gate-level failure (misconfiguration, nothing measured): blocks in every mode. */
function gateFailure(name: string, run: string, detail: string, metric = 'runs'): GateCheck {
  return { name, metric, op: '>=', threshold: 1, value: 0, run, pass: false, status: 'fail', source: 'thresholds', blocking: true, detail };
}

/**
 * The gate: every rule applied to every run it selects, plus a baseline comparison when one is
 * given. When the suite names a candidate, targets and regressions judge the candidate (and
 * runs a `runs:` rule names); the other runs' checks are informational (`warn`). The mode
 * decides whether target misses and regressions block. NO-GO when a blocking check fails.
 * Pure: the same inputs give the same verdict.
 */
export function evaluateGate(summary: Summary, options: GateOptions = {}): Verdict {
  const thresholds = options.thresholds ?? DEFAULT_THRESHOLDS;
  const mode = options.mode ?? 'local';
  const policy = modePolicy(thresholds, mode);
  const checks: GateCheck[] = [];
  const warnings: string[] = [];
  const listRuns = () => summary.runs.map((r) => (r.name === r.id ? r.id : `${r.name} (${r.id})`)).join(', ') || '(none)';
  for (const { selector } of thresholds.runs) {
    if (summary.runs.some((r) => runMatches(selector, r))) continue;
    checks.push(gateFailure(`runs["${selector}"] selects a run`, selector, `no run name or id matches; runs: ${listRuns()}`));
  }
  if (summary.runs.length === 0 && !summary.extraction) {
    // An empty matrix must not pass a CI gate by having nothing to fail.
    checks.push({ ...gateFailure('summary has runs', '(summary)', 'the summary has no runs: nothing was measured'), source: 'run' });
  }
  const candidateName = summary.suite.candidate;
  const candidate = candidateName === undefined ? undefined : summary.runs.find((r) => r.name === candidateName) ?? summary.runs.find((r) => r.id === candidateName);
  if (candidateName !== undefined && !candidate) {
    checks.push(gateFailure('candidate run is in the summary', candidateName, `suite.candidate "${candidateName}" names no run; runs: ${listRuns()}`, 'suite.candidate'));
  }
  /** Judged: the candidate, or every run when the suite names none. */
  const judged = (run: RunResult) => candidateName === undefined || run === candidate;
  const namedByRule = (run: RunResult) => thresholds.runs.some((s) => runMatches(s.selector, run));
  const informational = `informational: not the candidate "${candidateName ?? ''}" and named by no runs: rule`;
  const targetsWarn = `mode ${mode}: target misses are reported, not blocking`;

  for (const run of summary.runs) {
    const status = statusCheck(run);
    if (run.status === 'skipped') checks.push(demote(status, 'skipped, not measured: nothing to judge'));
    else checks.push(judged(run) || namedByRule(run) ? { ...status, blocking: true } : demote(status, informational));
    for (const [metric, rule] of rulesFor(run, thresholds)) {
      const c = metricCheck(run, metric, rule);
      if (!judged(run) && !rule.named) checks.push(demote(c, informational));
      else if (policy.targets === 'warn') checks.push(demote(c, targetsWarn));
      else checks.push({ ...c, blocking: true });
    }
  }
  for (const [metric, rule] of Object.entries(thresholds.all)) {
    if (!rule || summary.runs.length === 0) continue;
    if (!summary.runs.some((run) => readMetric(run, metric) !== undefined)) warnings.push(`no run measures ${metric}: its threshold checked nothing`);
  }
  const verdict: Verdict = { decision: 'GO', mode, checks, triggers: [], warnings };
  if (options.baseline) {
    const b = compareWithBaseline(summary, options.baseline, thresholds);
    const byId = new Map(summary.runs.map((r) => [r.id, r]));
    const blocking = new Set<GateCheck>();
    for (const c of b.checks) {
      const run = byId.get(c.run);
      if (c.status === 'warn') checks.push(c);
      else if (run && !judged(run) && !namedByRule(run)) checks.push(demote(c, informational));
      else if (policy.regressions === 'warn') checks.push(demote(c, `mode ${mode}: regressions are reported, not blocking`));
      else {
        const kept = { ...c, blocking: true };
        checks.push(kept);
        if (c.status === 'fail') blocking.add(kept);
      }
    }
    // A rollback trigger only for a regression that blocks; the others are in the checks as `warn`.
    const blocked = new Set([...blocking].map((c) => `${c.run}\u0000${c.metric}`));
    verdict.triggers = b.triggers.filter((t) => blocked.has(`${t.run}\u0000${t.metric}`));
    warnings.push(...b.warnings);
    verdict.baseline = { runId: options.baseline.runId, startedAt: options.baseline.startedAt };
  }
  const rolledBack = rollbackChecks(summary);
  checks.push(...rolledBack.checks);
  verdict.triggers.push(...rolledBack.triggers);
  verdict.decision = checks.some((c) => c.status === 'fail') ? 'NO-GO' : 'GO';
  return verdict;
}

/** Checks that decided a NO-GO (blocking failures). */
export function failedChecks(verdict: Verdict): GateCheck[] {
  return verdict.checks.filter((c) => c.status === 'fail');
}

/** Failed checks that did not block (informational runs, or a mode that reports them). */
export function warnedChecks(verdict: Verdict): GateCheck[] {
  return verdict.checks.filter((c) => c.status === 'warn');
}
