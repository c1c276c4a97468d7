import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/gate/evaluate.ts';
import { parseThresholds } from '../../src/gate/load.ts';
import { formatVerdictTable } from '../../src/gate/table.ts';
import type { GateCheck, Verdict } from '../../src/summary/schema.ts';
import { latencies, pairedOutcomes } from '../stats/synthetic.ts';
import { goldenFor, latencyFrom, makeRun, makeSummary, runWithOutcomes, sampleIds } from './fixtures.ts';

const yaml = (...lines: string[]) => parseThresholds(lines.join('\n'), 'gate.yml');
/** Only the baseline comparison: no production targets, so each test sees its own rule. */
const onlyTolerances = (...lines: string[]) => yaml('defaults: false', 'tolerances:', ...lines.map((l) => `  ${l}`));

function baselineCheck(v: Verdict, run: string, metric: string): GateCheck {
  const c = v.checks.find((x) => x.source === 'baseline' && x.run === run && x.metric === metric);
  expect(c, `${run} ${metric}`).toBeDefined();
  return c as GateCheck;
}

/** Two summaries over the same 475 questions whose semanticAccuracy outcomes differ on b + c questions. */
function semanticPair(both: number, b: number, c: number, seed = 1) {
  const ids = sampleIds(475);
  const { first, second } = pairedOutcomes(475, both, b, c, seed);
  const golden = goldenFor(ids);
  return {
    base: makeSummary([runWithOutcomes('r', { semanticAccuracy: first })], { golden, runId: 'night-1' }),
    current: makeSummary([runWithOutcomes('r', { semanticAccuracy: second })], { golden }),
  };
}

describe('accuracy regressions: paired by question, tolerance AND significance', () => {
  it('shows a 0.006 drop on 475 questions as noise, even under a tighter tolerance (exact McNemar p = 0.63)', () => {
    const { base, current } = semanticPair(373, 10, 7);
    const v = evaluateGate(current, { baseline: base, thresholds: onlyTolerances('accuracy.semanticAccuracy: "-0.001"') });
    expect(v.decision).toBe('GO');
    expect(v.triggers).toEqual([]);
    const c = baselineCheck(v, 'r', 'accuracy.semanticAccuracy');
    expect(c).toMatchObject({ status: 'pass', value: 380 / 475, test: { level: 0.05, significant: false } });
    expect(c.test?.method).toMatch(/^exact McNemar \(b = 10 right only in the baseline, c = 7 right only now\)/);
    expect(c.test?.pValue).toBeCloseTo(0.629058837890625, 12);
    expect(c.test?.interval?.low).toBeLessThan(0);
    expect(c.test?.interval?.high).toBeGreaterThan(0);
    expect(c.detail).toContain('beyond tolerance but not significant at α = 0.05 (noise)');
    expect(formatVerdictTable(v)).toContain('Differences beyond tolerance that are noise (not significant):');
  });

  it('fails a real drop beyond tolerance with a rollback trigger naming the test, p-value and interval', () => {
    const { base, current } = semanticPair(360, 40, 5);
    const v = evaluateGate(current, { baseline: base, thresholds: onlyTolerances('accuracy.semanticAccuracy: "-0.01"') });
    expect(v.decision).toBe('NO-GO');
    expect(v.triggers).toHaveLength(1);
    const t = v.triggers[0];
    expect(t).toMatchObject({ run: 'r', metric: 'accuracy.semanticAccuracy', baseline: 400 / 475, value: 365 / 475, tolerance: '-0.01', samples: { baseline: 475, current: 475 } });
    expect(t?.test?.pValue).toBeCloseTo(7.878384167270269e-8, 12);
    expect(t?.test?.interval?.high).toBeLessThan(0);
    expect(t?.message).toMatch(/^accuracy\.semanticAccuracy regressed on run "r": 0\.768 vs baseline 0\.842 \(-8\.8%\) on 475 questions; difference -0\.0737, 95% interval \[-0\.\d+, -0\.\d+\], p = 7\.9e-8 \(exact McNemar/);
    expect(t?.message).toContain('tolerance -0.01, limit 0.832: beyond tolerance and significant at α = 0.05');
  });

  it('does not fail a significant drop that is within tolerance', () => {
    const { base, current } = semanticPair(360, 40, 5);
    const v = evaluateGate(current, { baseline: base, thresholds: onlyTolerances('accuracy.semanticAccuracy: "-0.10"') });
    expect(baselineCheck(v, 'r', 'accuracy.semanticAccuracy')).toMatchObject({ status: 'pass', test: { significant: true } });
    expect(v.decision).toBe('GO');
  });

  it('reads the significance level from tolerances.significance', () => {
    // b = 120, c = 80 on 475: p = 0.0057: significant at 0.05, not at 0.001.
    const { base, current } = semanticPair(200, 120, 80);
    const at = (level: string) => evaluateGate(current, { baseline: base, thresholds: onlyTolerances(`significance: ${level}`, 'accuracy.semanticAccuracy: "-0.01"') });
    expect(at('0.05').decision).toBe('NO-GO');
    const strict = at('0.001');
    expect(strict.decision).toBe('GO');
    expect(baselineCheck(strict, 'r', 'accuracy.semanticAccuracy').test).toMatchObject({ level: 0.001, significant: false });
  });

  it('tests graded metrics with a paired bootstrap of the mean difference', () => {
    const ids = sampleIds(300);
    const base = Array.from({ length: 300 }, (_, i) => [1, 0.63, 0.5, 0][i % 4] as number);
    const worse = base.map((x, i) => (i % 3 === 0 ? x * 0.5 : x));
    const golden = goldenFor(ids);
    const v = evaluateGate(makeSummary([runWithOutcomes('r', { ndcgAt10: worse })], { golden }), {
      baseline: makeSummary([runWithOutcomes('r', { ndcgAt10: base })], { golden }),
      thresholds: onlyTolerances('accuracy.ndcgAt10: "-0.01"'),
    });
    const c = baselineCheck(v, 'r', 'accuracy.ndcgAt10');
    expect(c.status).toBe('fail');
    expect(c.test?.method).toBe('paired bootstrap of the mean difference (1000 resamples, seed 1)');
    expect(c.test?.interval?.high).toBeLessThan(0);
  });

  it('compares on the shared questions only when the samples differ, and says so', () => {
    const { first, second } = pairedOutcomes(300, 200, 40, 5, 2);
    const base = makeSummary([runWithOutcomes('r', { semanticAccuracy: first })], { golden: goldenFor(sampleIds(300)) });
    // This summary scored questions q100..q399: 200 shared with the baseline.
    const ids = sampleIds(400).slice(100);
    const cur = [...second.slice(100), ...Array.from({ length: 100 }, () => 1)];
    const v = evaluateGate(makeSummary([runWithOutcomes('r', { semanticAccuracy: cur })], { golden: goldenFor(ids) }), {
      baseline: base,
      thresholds: onlyTolerances('accuracy.semanticAccuracy: "-0.01"'),
    });
    const c = baselineCheck(v, 'r', 'accuracy.semanticAccuracy');
    const shared = (xs: number[]) => xs.slice(100).reduce((a, b) => a + b, 0) / 200;
    expect(c.value).toBeCloseTo(shared(second), 12);
    expect(c.detail).toContain('on 200 shared questions');
    expect(v.warnings).toContain('the baseline scored 300 questions of "mini", this summary 300 of "mini": accuracy is compared on the 200 shared questions only');
  });

  it('refuses the comparison, visibly, with no shared question or without per-question outcomes', () => {
    const base = makeSummary([runWithOutcomes('r', { semanticAccuracy: [1, 1, 0] })], { golden: goldenFor(sampleIds(3, 'a')) });
    const other = makeSummary([runWithOutcomes('r', { semanticAccuracy: [0, 0, 0] })], { golden: goldenFor(sampleIds(3, 'b')) });
    const t = onlyTolerances('accuracy.semanticAccuracy: "-0.01"');
    const v = evaluateGate(other, { baseline: base, thresholds: t });
    expect(baselineCheck(v, 'r', 'accuracy.semanticAccuracy')).toMatchObject({
      status: 'warn', pass: false, blocking: false, value: null,
      detail: 'not compared: the two summaries share no question (golden.sample.ids): re-run the baseline on the same sample',
    });
    expect(v.warnings).toContain('the baseline scored 3 questions of "mini", this summary 3 of "mini", with no question in common: accuracy is not compared (re-run the baseline on the same sample)');
    expect(v.decision).toBe('GO');
    expect(formatVerdictTable(v)).toMatch(/warn +r +baseline accuracy\.semanticAccuracy -0\.01 +n\/a/);

    const bare = evaluateGate(makeSummary([makeRun('r')]), { baseline: makeSummary([makeRun('r')]), thresholds: t });
    expect(baselineCheck(bare, 'r', 'accuracy.semanticAccuracy')).toMatchObject({
      status: 'warn', detail: 'not compared: the baseline run has no per-question outcomes (runs[].perQuestion): a paired test is not possible',
    });
  });

  it('tests citationFaithfulness as a paired ratio of sums', () => {
    const ids = sampleIds(200);
    const cites = ids.map(() => 5);
    const good = ids.map((_, i) => (i % 20 === 0 ? 4 : 5));
    const bad = ids.map((_, i) => (i % 4 === 0 ? 3 : 5));
    const golden = goldenFor(ids);
    const run = (verified: number[]) => makeRun('r', { accuracy: { citationFaithfulness: verified.reduce((a, b) => a + b, 0) / 1000 }, perQuestion: { citations: cites, citationsVerified: verified } });
    const v = evaluateGate(makeSummary([run(bad)], { golden }), { baseline: makeSummary([run(good)], { golden }), thresholds: onlyTolerances('accuracy.citationFaithfulness: "-0.01"') });
    const c = baselineCheck(v, 'r', 'accuracy.citationFaithfulness');
    expect(c).toMatchObject({ status: 'fail', value: 0.9, test: { significant: true } });
    expect(c.test?.method).toContain('paired bootstrap of ΣcitationsVerified / Σcitations');
  });
});

describe('latency regressions: bootstrap of the p95 ratio, calibrated', () => {
  const t = onlyTolerances('latency.p95Ms: "+20%"');
  const cal = (ms: number) => [ms * 0.99, ms, ms * 1.01];
  const gate = (base: number[], cur: number[], baseCal?: number[], curCal?: number[]) =>
    evaluateGate(makeSummary([makeRun('r', { latency: latencyFrom(cur, curCal) })]), {
      baseline: makeSummary([makeRun('r', { latency: latencyFrom(base, baseCal) })], { runId: 'base' }),
      thresholds: t,
    });

  it('A/A: the same distribution measured twice is GO', () => {
    const v = gate(latencies(300, 1), latencies(300, 2), cal(50), cal(50));
    expect(v.decision).toBe('GO');
    const c = baselineCheck(v, 'r', 'latency.p95Ms');
    expect(c.status).toBe('pass');
    expect(c.test?.interval?.low).toBeLessThan(1);
    expect(c.test?.interval?.high).toBeGreaterThan(1);
  });

  it('A/A on a machine 20 % slower in samples and calibration is GO (calibrated); uncalibrated it is not', () => {
    const slow = latencies(300, 4).map((x) => x * 1.25);
    const v = gate(latencies(300, 3), slow, cal(50), cal(62.5));
    expect(v.decision).toBe('GO');
    const c = baselineCheck(v, 'r', 'latency.p95Ms');
    expect(c.detail).toMatch(/calibrated ratio \(machine factor 1\.250 from "ragbench-reference\/1"\) [01]\.\d{3}/);
    expect(c.test?.method).toContain('calibrated');
    const raw = gate(latencies(300, 3), slow);
    expect(raw.decision).toBe('NO-GO');
    expect(baselineCheck(raw, 'r', 'latency.p95Ms').detail).toContain('raw ratio (neither run measured a calibration)');
  });

  it('A/B: +50 % with an unchanged calibration is NO-GO, the trigger naming metric, values, interval and p-value', () => {
    const base = latencies(300, 5);
    const v = gate(base, latencies(300, 6).map((x) => x * 1.5), cal(50), cal(50));
    expect(v.decision).toBe('NO-GO');
    const trigger = v.triggers[0];
    expect(trigger).toMatchObject({ run: 'r', metric: 'latency.p95Ms', tolerance: '+20%', samples: { baseline: 300, current: 300 } });
    expect(trigger?.value).toBeGreaterThan(trigger?.baseline ?? Infinity);
    expect(trigger?.test?.interval?.low).toBeGreaterThan(1);
    expect(trigger?.test?.pValue).toBeLessThan(0.01);
    expect(trigger?.message).toMatch(
      /^latency\.p95Ms regressed on run "r": \d+\.\d ms vs baseline \d+\.\d ms; calibrated ratio \(machine factor \d\.\d{3} [^)]*\) 1\.\d{3}, 95% interval \[1\.\d{3}, 1\.\d{3}\], p = [\d.e-]+; tolerance \+20%, limit \d+\.\d ms; samples 300 vs 300: beyond tolerance and significant at α = 0\.05$/,
    );
  });

  it('does not fail a p95 beyond tolerance that the samples cannot tell from noise', () => {
    // A/A with 40 heavy-tailed samples each: the p95 rests on two values and comes out +50 %
    // by chance; the interval of the ratio spans 1, so it is noise.
    const v = gate(latencies(40, 7, 30, 0.6), latencies(40, 107, 30, 0.6));
    const c = baselineCheck(v, 'r', 'latency.p95Ms');
    expect(c.value as number).toBeGreaterThan(1.2 * (c.threshold as number) / 1.2);
    expect(c.detail).toMatch(/raw ratio \(neither run measured a calibration\) 1\.[2-9]\d\d/);
    expect(c.test?.significant).toBe(false);
    expect(c.test?.interval?.low).toBeLessThan(1);
    expect(c.status).toBe('pass');
    expect(c.detail).toContain('beyond tolerance but not significant');
  });

  it('refuses to test without timed samples, visibly', () => {
    const base = makeSummary([makeRun('r', { latency: { p95Ms: 100 } })]);
    const v = evaluateGate(makeSummary([makeRun('r', { latency: { p95Ms: 300 } })]), { baseline: base, thresholds: t });
    expect(baselineCheck(v, 'r', 'latency.p95Ms')).toMatchObject({
      status: 'warn', detail: 'not compared: neither run has timed samples (latency.samplesMs), so no test of the difference is possible',
    });
  });
});

describe('baseline comparison: matching, defaults, other metrics', () => {
  it('applies the default tolerances unless switched off', () => {
    const { base, current } = semanticPair(360, 40, 5);
    expect(evaluateGate(current, { baseline: base, thresholds: yaml('defaults: false') }).checks.filter((c) => c.source === 'baseline')).toEqual([]);
    const v = evaluateGate(current, { baseline: base, thresholds: yaml('accuracy.semanticAccuracy: off', 'tolerances:', '  latency.p95Ms: off') });
    expect(v.triggers.map((x) => [x.metric, x.tolerance])).toEqual([['accuracy.semanticAccuracy', '-0.01']]);
    const off = evaluateGate(current, { baseline: base, thresholds: yaml('accuracy.semanticAccuracy: off', 'tolerances:', '  accuracy.semanticAccuracy: off') });
    expect(off.triggers).toEqual([]);
  });

  it('matches runs by id, else by name, warns about runs on one side only, and does not compare errored runs', () => {
    const base = makeSummary([makeRun('kept'), makeRun('dropped'), makeRun('was-broken', { status: 'errored', error: 'x' }), makeRun('old-config', { name: 'prod' })]);
    const current = makeSummary([makeRun('kept'), makeRun('new'), makeRun('was-broken'), makeRun('new-config', { name: 'prod' })]);
    const v = evaluateGate(current, { baseline: base, thresholds: onlyTolerances('ingest.chunks: "+0"') });
    expect(v.decision).toBe('GO');
    expect(new Set(v.checks.filter((c) => c.source === 'baseline').map((c) => c.run))).toEqual(new Set(['kept', 'new-config']));
    expect(v.warnings).toEqual([
      'run "new" has no baseline run of the same id or name: not compared',
      'baseline run "was-broken" errored: not compared',
      'run "new-config" compared with baseline run "old-config" (matched by name)',
      'baseline run "dropped" is missing from this summary',
    ]);
  });

  it('compares metrics without per-question data as values, and says no test applied', () => {
    const base = makeSummary([makeRun('r', { ingest: { failed: [] } })]);
    const v = evaluateGate(makeSummary([makeRun('r', { ingest: { failed: [{ file: 'a.pdf', reason: 'encrypted' }] } })]), {
      baseline: base,
      thresholds: onlyTolerances('ingest.failed: "+0"'),
    });
    expect(baselineCheck(v, 'r', 'ingest.failed')).toMatchObject({ status: 'fail', value: 1, threshold: 0, test: { method: 'none (single values)', pValue: null } });
    expect(v.triggers[0]?.message).toBe('ingest.failed regressed on run "r": 1 vs baseline 0; tolerance +0, limit 0 (values compared as measured: no per-question data or samples to test)');
  });

  it('fails a metric the baseline measured but this run no longer does', () => {
    const base = makeSummary([makeRun('r', { latency: { p95Ms: 40 } })]);
    const current = makeSummary([{ ...makeRun('r'), latency: undefined } as never]);
    const v = evaluateGate(current, { baseline: base, thresholds: onlyTolerances('latency.p95Ms: "+20%"') });
    expect(baselineCheck(v, 'r', 'latency.p95Ms')).toMatchObject({ value: null, status: 'fail', detail: 'measured in the baseline (40.0 ms) but not in this run' });
  });

  it('warns when the machine differs from the baseline', () => {
    const base = makeSummary([makeRun('r')], { machine: { cpus: 8, cpuModel: 'Big CPU', memoryBytes: 1, node: 'v20', os: 'linux', hostname: 'h' } });
    const v = evaluateGate(makeSummary([makeRun('r')]), { baseline: base });
    expect(v.warnings[0]).toBe(
      'the baseline ran on 8 × Big CPU, this summary on 2 × Test CPU: latency is compared calibrated where both runs timed the reference workload, else the machine difference is in the ratio',
    );
  });
});
