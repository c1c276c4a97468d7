import type { GateCheck, RollbackTrigger, RunResult, Summary } from '../summary/schema.ts';
import { DEFAULT_BOOTSTRAP, type BootstrapSettings } from '../stats/bootstrap.ts';
import { alignQuestions, alignmentWarning } from './align.ts';
import { compareAccuracy } from './compare-accuracy.ts';
import { compareLatency } from './compare-latency.ts';
import { comparePoint } from './compare-point.ts';
import type { ComparisonContext, ComparisonResult } from './comparison.ts';
import { metricInfo, readMetric } from './metrics.ts';
import { DEFAULT_SIGNIFICANCE, DEFAULT_TOLERANCES, type Thresholds, type Tolerance } from './thresholds.ts';

export interface BaselineOutcome {
  checks: GateCheck[];
  triggers: RollbackTrigger[];
  warnings: string[];
}

/** Default tolerances (unless `defaults: false`), overridden per metric by the thresholds'. */
export function resolveTolerances(thresholds: Thresholds): [string, Tolerance][] {
  const merged: Record<string, Tolerance | null> = { ...(thresholds.defaults ? DEFAULT_TOLERANCES : {}), ...thresholds.tolerances };
  return Object.entries(merged).filter((e): e is [string, Tolerance] => e[1] !== null);
}

/** One metric of a matched pair of runs: paired test, latency test, or plain values. */
function compareMetric(ctx: Omit<ComparisonContext, 'metric' | 'tolerance'>, metric: string, tolerance: Tolerance): ComparisonResult | undefined {
  const b = readMetric(ctx.base, metric);
  if (b === undefined) return undefined; // nothing to compare against
  const c: ComparisonContext = { ...ctx, metric, tolerance };
  const test = metricInfo(metric)?.test;
  if (test === undefined) return comparePoint(c, b);
  if (readMetric(ctx.run, metric) === undefined) return comparePoint(c, b); // fails: measured before, not now
  if (test.kind === 'quantile') return compareLatency(c, test, b);
  return compareAccuracy(c, test, b);
}

/**
 * The baseline run a run is compared with: the same id (configuration), else the same name,
 * else, for the candidate, the baseline's candidate (what was deployed). Says how it matched.
 */
function matchRun(run: RunResult, summary: Summary, baseline: Summary): { base: RunResult; how: string } | undefined {
  const byId = baseline.runs.find((r) => r.id === run.id);
  if (byId) return { base: byId, how: 'id' };
  const byName = baseline.runs.filter((r) => r.name === run.name);
  if (byName.length === 1 && byName[0]) return { base: byName[0], how: 'name' };
  const candidate = summary.suite.candidate;
  const baseCandidate = baseline.suite.candidate;
  if (candidate !== undefined && run.name === candidate && baseCandidate !== undefined) {
    const prev = baseline.runs.find((r) => r.name === baseCandidate);
    if (prev) return { base: prev, how: `the baseline's candidate "${baseCandidate}"` };
  }
  return undefined;
}

export function statisticsOf(summary: Summary): BootstrapSettings {
  const s = summary.settings.statistics;
  return { confidence: s.confidence ?? DEFAULT_BOOTSTRAP.confidence, resamples: s.resamples || DEFAULT_BOOTSTRAP.resamples, seed: s.seed };
}

/**
 * Every run compared with its baseline run on every metric that has a tolerance. Accuracy is
 * paired by question id on the questions both summaries scored; latency by a bootstrap of the
 * quantile ratio over the timed samples. A regression must exceed the tolerance and be
 * significant at `tolerances.significance` (0.05).
 */
export function compareWithBaseline(summary: Summary, baseline: Summary, thresholds: Thresholds): BaselineOutcome {
  const out: BaselineOutcome = { checks: [], triggers: [], warnings: [] };
  const tolerances = resolveTolerances(thresholds);
  const alignment = alignQuestions(summary, baseline);
  const level = thresholds.significance ?? DEFAULT_SIGNIFICANCE;
  const bootstrap = statisticsOf(summary);
  const sampleNote = alignmentWarning(alignment, summary, baseline);
  if (sampleNote) out.warnings.push(sampleNote);
  if (baseline.machine.cpuModel !== summary.machine.cpuModel || baseline.machine.cpus !== summary.machine.cpus) {
    out.warnings.push(
      `the baseline ran on ${baseline.machine.cpus} × ${baseline.machine.cpuModel}, this summary on ${summary.machine.cpus} × ${summary.machine.cpuModel}: latency is compared calibrated where both runs timed the reference workload, else the machine difference is in the ratio`,
    );
  }
  const matched = new Set<string>();
  for (const run of summary.runs) {
    const m = matchRun(run, summary, baseline);
    if (!m) {
      out.warnings.push(`run "${run.id}" has no baseline run of the same id or name: not compared`);
      continue;
    }
    matched.add(m.base.id);
    if (m.how !== 'id') out.warnings.push(`run "${run.id}" compared with baseline run "${m.base.id}" (matched by ${m.how})`);
    if (run.status !== 'completed') continue; // its status check already fails
    if (m.base.status !== 'completed') {
      out.warnings.push(`baseline run "${m.base.id}" ${m.base.status}: not compared`);
      continue;
    }
    const refusedBy = new Map<string, string[]>();
    for (const [metric, tol] of tolerances) {
      const r = compareMetric({ run, base: m.base, level, bootstrap, alignment }, metric, tol);
      if (!r) continue;
      out.checks.push(r.check);
      if (r.trigger) out.triggers.push(r.trigger);
      if (r.check.status === 'warn') refusedBy.set(r.check.detail ?? '', [...(refusedBy.get(r.check.detail ?? '') ?? []), metric]);
    }
    // One warning per reason, naming the metrics it kept from being tested.
    for (const [why, metrics] of refusedBy) out.warnings.push(`run "${run.id}": ${metrics.join(', ')} ${why}`);
  }
  for (const r of baseline.runs) if (!matched.has(r.id)) out.warnings.push(`baseline run "${r.id}" is missing from this summary`);
  return out;
}
