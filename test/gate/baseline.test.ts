import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/gate/evaluate.ts';
import { parseThresholds } from '../../src/gate/load.ts';
import type { GateCheck, Verdict } from '../../src/summary/schema.ts';
import { makeRun, makeSummary } from './fixtures.ts';

const yaml = (...lines: string[]) => parseThresholds(lines.join('\n'), 'gate.yml');
/** Only the baseline comparison: no production targets, so each test sees its own rule. */
const onlyTolerances = (...lines: string[]) => yaml('defaults: false', 'tolerances:', ...lines.map((l) => `  ${l}`));

function baselineCheck(v: Verdict, run: string, metric: string): GateCheck {
  const c = v.checks.find((x) => x.source === 'baseline' && x.run === run && x.metric === metric);
  expect(c, `${run} ${metric}`).toBeDefined();
  return c as GateCheck;
}

describe('evaluateGate: baseline comparison', () => {
  it('allows accuracy to drop by the absolute tolerance and no more', () => {
    const base = makeSummary([makeRun('r', { accuracy: { semanticAccuracy: 0.96 } })], { runId: 'night-1' });
    const within = makeSummary([makeRun('r', { accuracy: { semanticAccuracy: 0.951 } })]);
    const beyond = makeSummary([makeRun('r', { accuracy: { semanticAccuracy: 0.945 } })]);
    const t = onlyTolerances('accuracy.semanticAccuracy: "-0.01"');
    const ok = evaluateGate(within, { thresholds: t, baseline: base });
    expect(ok.decision).toBe('GO');
    expect(baselineCheck(ok, 'r', 'accuracy.semanticAccuracy')).toMatchObject({ op: '>=', pass: true });
    expect(baselineCheck(ok, 'r', 'accuracy.semanticAccuracy').threshold).toBeCloseTo(0.95, 12);
    const bad = evaluateGate(beyond, { thresholds: t, baseline: base });
    expect(bad.decision).toBe('NO-GO');
    expect(bad.baseline).toEqual({ runId: 'night-1', startedAt: base.startedAt });
    expect(bad.triggers).toHaveLength(1);
    const trigger = bad.triggers[0];
    expect(trigger).toMatchObject({ run: 'r', metric: 'accuracy.semanticAccuracy', baseline: 0.96, value: 0.945, tolerance: '-0.01' });
    expect(trigger?.limit).toBeCloseTo(0.95, 12);
    expect(trigger?.message).toBe(
      'accuracy.semanticAccuracy regressed on run "r": 0.945 vs baseline 0.960 (-1.6%); tolerance -0.01, limit 0.950',
    );
  });

  it('allows p95 to grow by the relative tolerance and reports the sample counts', () => {
    const base = makeSummary([makeRun('r', { latency: { p95Ms: 100, roundP95Ms: [100, 100], samples: 800 } })]);
    const t = onlyTolerances('latency.p95Ms: "+20%"');
    const at = (p95: number) => evaluateGate(makeSummary([makeRun('r', { latency: { p95Ms: p95, roundP95Ms: [p95, p95], samples: 600 } })]), { thresholds: t, baseline: base });
    expect(at(119).decision).toBe('GO');
    expect(at(120).decision).toBe('GO');
    const bad = at(121);
    expect(bad.decision).toBe('NO-GO');
    expect(bad.triggers[0]).toMatchObject({ baseline: 100, value: 121, limit: 120, tolerance: '+20%', noise: 0, samples: { baseline: 800, current: 600 } });
    expect(bad.triggers[0]?.message).toContain('samples 600 vs 800');
  });

  it('does not fail on a latency difference smaller than the measured round-to-round spread', () => {
    // Tolerance +20% of 100 = 20 ms; but this run's rounds spread over 35 ms, so +30 ms is noise.
    const base = makeSummary([makeRun('r', { latency: { p95Ms: 100, roundP95Ms: [95, 100, 104] } })]);
    const t = onlyTolerances('latency.p95Ms: "+20%"');
    const noisy = makeSummary([makeRun('r', { latency: { p95Ms: 130, roundP95Ms: [110, 130, 145] } })]);
    const v = evaluateGate(noisy, { thresholds: t, baseline: base });
    expect(v.decision).toBe('GO');
    const c = baselineCheck(v, 'r', 'latency.p95Ms');
    expect(c).toMatchObject({ threshold: 135, value: 130, pass: true });
    expect(c.detail).toBe('130.0 ms vs baseline 100.0 ms (+30.0%); tolerance +20%, limit 135.0 ms, noise allowance 35.0 ms, samples 600 vs 600');
    // Beyond the spread it is a regression, and the trigger says which allowance applied.
    const slower = makeSummary([makeRun('r', { latency: { p95Ms: 140, roundP95Ms: [110, 140, 145] } })]);
    const bad = evaluateGate(slower, { thresholds: t, baseline: base });
    expect(bad.triggers[0]).toMatchObject({ value: 140, limit: 135, noise: 35 });
  });

  it('uses the baseline spread when it is the larger one, and says when no spread was measured', () => {
    const base = makeSummary([makeRun('r', { latency: { p95Ms: 100, roundP95Ms: [80, 100, 130] } })]);
    const t = onlyTolerances('latency.p95Ms: "+20%"');
    const run = makeSummary([makeRun('r', { latency: { p95Ms: 145, roundP95Ms: [145] } })]);
    expect(baselineCheck(evaluateGate(run, { thresholds: t, baseline: base }), 'r', 'latency.p95Ms')).toMatchObject({ threshold: 150, pass: true });
    const single = makeSummary([makeRun('r', { latency: { p95Ms: 100, roundP95Ms: [100] } })]);
    const v = evaluateGate(makeSummary([makeRun('r', { latency: { p95Ms: 110, roundP95Ms: [] } })]), { thresholds: t, baseline: single });
    expect(baselineCheck(v, 'r', 'latency.p95Ms').detail).toContain('noise not measured (fewer than 2 rounds)');
  });

  it('applies the default tolerances (accuracy -0.01, p95 +20%) unless switched off', () => {
    const base = makeSummary([makeRun('r')]);
    const worse = makeSummary([makeRun('r', { accuracy: { ndcgAt10: 0.8 }, latency: { p95Ms: 60, roundP95Ms: [59, 60, 61] } })]);
    const v = evaluateGate(worse, { baseline: base });
    expect(v.triggers.map((t) => [t.metric, t.tolerance])).toEqual([
      ['accuracy.ndcgAt10', '-0.01'],
      ['latency.p95Ms', '+20%'],
    ]);
    const off = evaluateGate(worse, { baseline: base, thresholds: yaml('tolerances:', '  accuracy.ndcgAt10: off', '  latency.p95Ms: "+100%"') });
    expect(off.decision).toBe('GO');
  });

  it('treats improvements as passes whatever their size', () => {
    const base = makeSummary([makeRun('r', { latency: { p95Ms: 100, roundP95Ms: [100, 100] } })]);
    const v = evaluateGate(makeSummary([makeRun('r', { accuracy: { semanticAccuracy: 0.99 }, latency: { p95Ms: 10, roundP95Ms: [10, 10] } })]), { baseline: base });
    expect(v.triggers).toEqual([]);
    expect(v.decision).toBe('GO');
  });

  it('matches runs by id, warns about runs on one side only, and does not compare errored runs', () => {
    const base = makeSummary([makeRun('kept'), makeRun('dropped'), makeRun('was-broken', { status: 'errored', error: 'x' })]);
    const current = makeSummary([makeRun('kept'), makeRun('new'), makeRun('was-broken')]);
    const v = evaluateGate(current, { baseline: base });
    expect(v.decision).toBe('GO');
    expect(new Set(v.checks.filter((c) => c.source === 'baseline').map((c) => c.run))).toEqual(new Set(['kept']));
    expect(v.warnings).toEqual([
      'run "new" has no baseline run of the same id: not compared',
      'baseline run "was-broken" errored: not compared',
      'baseline run "dropped" is missing from this summary',
    ]);
  });

  it('fails a metric the baseline measured but this run no longer does', () => {
    const base = makeSummary([makeRun('r', { latency: { p95Ms: 40 } })]);
    const current = makeSummary([{ ...makeRun('r'), latency: undefined } as never]);
    const v = evaluateGate(current, { baseline: base, thresholds: onlyTolerances('latency.p95Ms: "+20%"') });
    expect(baselineCheck(v, 'r', 'latency.p95Ms')).toMatchObject({ value: null, pass: false, detail: 'measured in the baseline (40.0 ms) but not in this run' });
  });

  it('warns when golden set or machine differ from the baseline', () => {
    const base = makeSummary([makeRun('r')], {
      golden: { name: 'other', path: 'x', documents: 1, questions: 10, answerable: 10 },
      machine: { cpus: 8, cpuModel: 'Big CPU', memoryBytes: 1, node: 'v20', os: 'linux', hostname: 'h' },
    });
    const v = evaluateGate(makeSummary([makeRun('r')]), { baseline: base });
    expect(v.warnings).toEqual([
      'the baseline used golden set "other" (10 questions), this summary "mini" (200): accuracy deltas compare different questions',
      'the baseline ran on 8 × Big CPU, this summary on 2 × Test CPU: latency deltas include the machine difference',
    ]);
  });
});
