import type { GateCheck, RollbackTrigger, RunResult, Summary } from '../summary/schema.ts';
import { compare } from './compare.ts';
import { formatValue, metricInfo, readMetric, readRounds } from './metrics.ts';
import { DEFAULT_TOLERANCES, type Thresholds, type Tolerance } from './thresholds.ts';

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

function spread(values: number[]): number | undefined {
  return values.length < 2 ? undefined : Math.max(...values) - Math.min(...values);
}

/**
 * Run-to-run noise of a metric: the larger spread of its per-round values in either summary.
 * Undefined when neither side measured two rounds or more.
 */
function noiseOf(metric: string, run: RunResult, base: RunResult): number | undefined {
  const roundsPath = metricInfo(metric)?.roundsPath;
  if (!roundsPath) return undefined;
  const spreads = [spread(readRounds(run, roundsPath)), spread(readRounds(base, roundsPath))].filter(
    (s): s is number => s !== undefined,
  );
  return spreads.length ? Math.max(...spreads) : undefined;
}

function samplesOf(metric: string, run: RunResult, base: RunResult): RollbackTrigger['samples'] {
  const path = metricInfo(metric)?.samplesPath;
  if (!path) return undefined;
  const current = readMetric(run, path);
  const baseline = readMetric(base, path);
  return current === undefined || baseline === undefined ? undefined : { baseline, current };
}

function relativeChange(value: number, base: number): string {
  if (base === 0) return '';
  const pct = ((value - base) / Math.abs(base)) * 100;
  return ` (${pct >= 0 ? '+' : ''}${pct.toFixed(1)}%)`;
}

function compareMetric(run: RunResult, base: RunResult, metric: string, tol: Tolerance): { check: GateCheck; trigger?: RollbackTrigger } | undefined {
  const b = readMetric(base, metric);
  if (b === undefined) return undefined; // nothing to compare against
  const v = readMetric(run, metric);
  const name = `baseline ${metric} ${tol.text}`;
  const op = tol.worse === 'up' ? '<=' : '>=';
  if (v === undefined) {
    return {
      check: {
        name, metric, op, threshold: b, value: null, run: run.id, pass: false, status: 'fail', source: 'baseline',
        detail: `measured in the baseline (${formatValue(metric, b)}) but not in this run`,
      },
    };
  }
  const amount = tol.relative ? Math.abs(b) * tol.amount : tol.amount;
  const noise = noiseOf(metric, run, base);
  // A difference inside the measured run-to-run spread is not evidence of a regression.
  const allowed = Math.max(amount, noise ?? 0);
  const limit = tol.worse === 'up' ? b + allowed : b - allowed;
  const pass = compare(v, op, limit);
  const samples = samplesOf(metric, run, base);
  const notes = [
    `tolerance ${tol.text}`,
    `limit ${formatValue(metric, limit)}`,
    noise === undefined
      ? metricInfo(metric)?.roundsPath ? 'noise not measured (fewer than 2 rounds)' : undefined
      : `noise allowance ${formatValue(metric, noise)}`,
    samples ? `samples ${samples.current} vs ${samples.baseline}` : undefined,
  ].filter((x) => x !== undefined);
  const detail = `${formatValue(metric, v)} vs baseline ${formatValue(metric, b)}${relativeChange(v, b)}; ${notes.join(', ')}`;
  const check: GateCheck = { name, metric, op, threshold: limit, value: v, run: run.id, pass, status: pass ? 'pass' : 'fail', source: 'baseline', detail };
  if (pass) return { check };
  const trigger: RollbackTrigger = {
    run: run.id,
    metric,
    baseline: b,
    value: v,
    tolerance: tol.text,
    limit,
    message: `${metric} regressed on run "${run.id}": ${detail}`,
  };
  if (noise !== undefined) trigger.noise = noise;
  if (samples) trigger.samples = samples;
  return { check, trigger };
}

/** Runs are matched by id; each tolerated metric of a matched run becomes one check. */
export function compareWithBaseline(summary: Summary, baseline: Summary, thresholds: Thresholds): BaselineOutcome {
  const out: BaselineOutcome = { checks: [], triggers: [], warnings: [] };
  const tolerances = resolveTolerances(thresholds);
  const baseRuns = new Map(baseline.runs.map((r) => [r.id, r]));
  if (baseline.golden.name !== summary.golden.name || baseline.golden.questions !== summary.golden.questions) {
    out.warnings.push(
      `the baseline used golden set "${baseline.golden.name}" (${baseline.golden.questions} questions), this summary "${summary.golden.name}" (${summary.golden.questions}): accuracy deltas compare different questions`,
    );
  }
  if (baseline.machine.cpuModel !== summary.machine.cpuModel || baseline.machine.cpus !== summary.machine.cpus) {
    out.warnings.push(
      `the baseline ran on ${baseline.machine.cpus} × ${baseline.machine.cpuModel}, this summary on ${summary.machine.cpus} × ${summary.machine.cpuModel}: latency deltas include the machine difference`,
    );
  }
  for (const run of summary.runs) {
    const base = baseRuns.get(run.id);
    if (!base) {
      out.warnings.push(`run "${run.id}" has no baseline run of the same id: not compared`);
      continue;
    }
    if (run.status !== 'completed') continue; // its status check already fails
    if (base.status !== 'completed') {
      out.warnings.push(`baseline run "${run.id}" errored: not compared`);
      continue;
    }
    for (const [metric, tol] of tolerances) {
      const r = compareMetric(run, base, metric, tol);
      if (!r) continue;
      out.checks.push(r.check);
      if (r.trigger) out.triggers.push(r.trigger);
    }
  }
  const ids = new Set(summary.runs.map((r) => r.id));
  for (const id of baseRuns.keys()) if (!ids.has(id)) out.warnings.push(`baseline run "${id}" is missing from this summary`);
  return out;
}
