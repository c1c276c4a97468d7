import { describe, expect, it } from 'vitest';
import { evaluateGate, failedChecks } from '../../src/gate/evaluate.ts';
import { parseThresholds } from '../../src/gate/load.ts';
import type { GateCheck, Verdict } from '../../src/summary/schema.ts';
import { VerdictSchema } from '../../src/summary/schema.ts';
import { makeRun, makeSummary } from './fixtures.ts';

const yaml = (...lines: string[]) => parseThresholds(lines.join('\n'), 'gate.yml');

function check(v: Verdict, run: string, metric: string): GateCheck {
  const found = v.checks.filter((c) => c.run === run && c.metric === metric && c.source !== 'baseline');
  expect(found).toHaveLength(1);
  return found[0] as GateCheck;
}

describe('evaluateGate: thresholds', () => {
  it('is GO when every production target is met, and the verdict fits the summary schema', () => {
    const v = evaluateGate(makeSummary([makeRun('a'), makeRun('b')]));
    expect(v.decision).toBe('GO');
    expect(VerdictSchema.parse(v)).toEqual(v);
    expect(check(v, 'a', 'latency.p95Ms')).toMatchObject({ op: '<', threshold: 2000, value: 40, pass: true, status: 'pass', source: 'default' });
    expect(check(v, 'b', 'accuracy.citationAccuracy')).toMatchObject({ op: '>=', threshold: 0.99, value: 0.995, pass: true });
    expect(check(v, 'a', 'status')).toMatchObject({ name: 'run completed', value: 'completed', pass: true, source: 'run' });
  });

  it('fails the check that is missed, naming metric, value, threshold and run', () => {
    const v = evaluateGate(makeSummary([makeRun('good'), makeRun('slow', { latency: { p95Ms: 2500 } })]));
    expect(v.decision).toBe('NO-GO');
    expect(failedChecks(v)).toEqual([
      {
        name: 'latency.p95Ms < 2000', metric: 'latency.p95Ms', op: '<', threshold: 2000, value: 2500, run: 'slow',
        pass: false, status: 'fail', source: 'default', blocking: true,
      },
    ]);
  });

  it('applies each operator at its boundary', () => {
    const run = makeRun('r', { accuracy: { semanticAccuracy: 0.95 } });
    const at = (rule: string) => check(evaluateGate(makeSummary([run]), { thresholds: yaml('defaults: false', `accuracy.semanticAccuracy: "${rule}"`) }), 'r', 'accuracy.semanticAccuracy').pass;
    expect([at('< 0.95'), at('<= 0.95'), at('> 0.95'), at('>= 0.95'), at('== 0.95'), at('!= 0.95')]).toEqual([false, true, false, true, true, false]);
    expect([at('< 0.96'), at('> 0.94'), at('>= 95%'), at('== 0.9500000001'), at('!= 0.9')]).toEqual([true, true, true, true, true]);
  });

  it('treats a computed ratio equal to the threshold as meeting it', () => {
    const run = makeRun('r', { accuracy: { citationAccuracy: 99 / 100 } });
    expect(check(evaluateGate(makeSummary([run])), 'r', 'accuracy.citationAccuracy').pass).toBe(true);
    const below = makeRun('r', { accuracy: { citationAccuracy: 989 / 1000 } });
    expect(check(evaluateGate(makeSummary([below])), 'r', 'accuracy.citationAccuracy').pass).toBe(false);
  });

  it('lets the file override a default and switch one off', () => {
    const runs = [makeRun('r', { latency: { p95Ms: 150 }, accuracy: { semanticAccuracy: 0.5 } })];
    const v = evaluateGate(makeSummary(runs), { thresholds: yaml('latency.p95Ms: "< 100"', 'accuracy.semanticAccuracy: off') });
    expect(check(v, 'r', 'latency.p95Ms')).toMatchObject({ threshold: 100, pass: false, source: 'thresholds' });
    expect(v.checks.some((c) => c.metric === 'accuracy.semanticAccuracy')).toBe(false);
    expect(check(v, 'r', 'accuracy.citationAccuracy').source).toBe('default');
  });

  it('drops every default with defaults: false', () => {
    const v = evaluateGate(makeSummary([makeRun('r', { latency: { p95Ms: 9000 } })]), { thresholds: yaml('defaults: false') });
    expect(v.decision).toBe('GO');
    expect(v.checks.map((c) => c.metric)).toEqual(['status']);
  });

  it('checks named runs by exact id or glob; exact ids beat globs, later selectors beat earlier ones', () => {
    const runs = ['bm25', 'bm25-sentence', 'dense-flat', 'dense-hnsw'].map((id) => makeRun(id, { accuracy: { semanticAccuracy: 0.7 } }));
    const t = yaml(
      'defaults: false',
      'accuracy.semanticAccuracy: ">= 0.9"',
      'runs:',
      '  bm25:',
      '    accuracy.semanticAccuracy: ">= 0.5"',
      '  "bm25*":',
      '    accuracy.semanticAccuracy: ">= 0.8"',
      '  "dense-*":',
      '    accuracy.semanticAccuracy: ">= 0.6"',
      '  "dense-h?sw":',
      '    accuracy.semanticAccuracy: ">= 0.75"',
    );
    const v = evaluateGate(makeSummary(runs), { thresholds: t });
    const thresholdOf = (id: string) => check(v, id, 'accuracy.semanticAccuracy').threshold;
    expect(['bm25', 'bm25-sentence', 'dense-flat', 'dense-hnsw'].map(thresholdOf)).toEqual([0.5, 0.8, 0.6, 0.75]);
    expect(failedChecks(v).map((c) => c.run)).toEqual(['bm25-sentence', 'dense-hnsw']);
  });

  it('fails a selector that matches no run: a gate that checks nothing is misconfigured', () => {
    const v = evaluateGate(makeSummary([makeRun('a')]), { thresholds: yaml('runs:', '  "hybrid*":', '    latency.p95Ms: "< 10"') });
    expect(v.decision).toBe('NO-GO');
    expect(failedChecks(v)).toEqual([
      expect.objectContaining({ name: 'runs["hybrid*"] selects a run', run: 'hybrid*', value: 0, detail: 'no run name or id matches; runs: a' }),
    ]);
  });

  it('counts a metric a run does not measure as "not measured", except where a named rule asks for it', () => {
    const summary = makeSummary([makeRun('plain'), makeRun('cached')]);
    const v = evaluateGate(summary, { thresholds: yaml('runs:', '  cached:', '    cache.hitP95Ms: "< 20"') });
    // The default cache rule applies to every run: neither measures it, so it does not count.
    expect(check(v, 'plain', 'cache.hitP95Ms')).toMatchObject({ status: 'not-measured', pass: true, value: null, detail: 'not measured by this run' });
    // The named rule does: the configuration should have measured it.
    expect(check(v, 'cached', 'cache.hitP95Ms')).toMatchObject({ status: 'fail', pass: false, detail: 'required for this run but not measured' });
    expect(v.decision).toBe('NO-GO');
  });

  it('warns when a rule written for every run was measured by none', () => {
    const v = evaluateGate(makeSummary([makeRun('a')]), { thresholds: yaml('consensus.agreement: ">= 0.95"') });
    expect(v.decision).toBe('GO');
    expect(v.warnings).toEqual(['no run measures consensus.agreement: its threshold checked nothing']);
  });

  it('fails an errored run on its status, with its error, and does not judge its missing metrics', () => {
    const broken = makeRun('broken', { status: 'errored', error: 'chunker threw: boom' });
    const v = evaluateGate(makeSummary([makeRun('ok'), broken]));
    expect(v.decision).toBe('NO-GO');
    expect(failedChecks(v)).toEqual([
      expect.objectContaining({ run: 'broken', metric: 'status', op: '==', threshold: 'completed', value: 'errored', detail: 'chunker threw: boom' }),
    ]);
    expect(check(v, 'broken', 'latency.p95Ms')).toMatchObject({ status: 'not-measured', detail: 'run errored' });
  });

  it('reads array metrics as counts (ingest.failed = number of failed files)', () => {
    const run = makeRun('r', { ingest: { failed: [{ file: 'x.pdf', reason: 'encrypted' }] } });
    const v = evaluateGate(makeSummary([run]), { thresholds: yaml('ingest.failed: "== 0"') });
    expect(check(v, 'r', 'ingest.failed')).toMatchObject({ value: 1, pass: false });
  });

  it('is pure: same input, same verdict; the input is not changed', () => {
    const summary = makeSummary([makeRun('a', { latency: { p95Ms: 3000 } })]);
    const copy = structuredClone(summary);
    expect(evaluateGate(summary)).toEqual(evaluateGate(summary));
    expect(summary).toEqual(copy);
  });

  it('is NO-GO for a summary without runs: nothing measured is not a pass', () => {
    const v = evaluateGate(makeSummary([]));
    expect(v.decision).toBe('NO-GO');
    expect(v.checks).toEqual([expect.objectContaining({ name: 'summary has runs', value: 0, pass: false })]);
  });
});
