import { describe, expect, it } from 'vitest';
import { evaluateGate, failedChecks, warnedChecks } from '../../src/gate/evaluate.ts';
import { parseThresholds } from '../../src/gate/load.ts';
import { InputError } from '../../src/util/errors.ts';
import { VerdictSchema, type Summary } from '../../src/summary/schema.ts';
import { pairedOutcomes } from '../stats/synthetic.ts';
import { goldenFor, makeRun, makeSummary, runWithOutcomes, sampleIds } from './fixtures.ts';

const yaml = (...lines: string[]) => parseThresholds(lines.join('\n'), 'gate.yml');
const suite = (candidate?: string): Summary['suite'] => ({ name: 's', file: 'suites/none.yml', ...(candidate !== undefined && { candidate }) });

// Three runs: the candidate meets the targets; two comparison runs miss them.
const runs = () => [
  makeRun('mupdf/sentence/hybrid', { name: 'hybrid' }),
  makeRun('mupdf/sentence/bm25', { name: 'bm25', accuracy: { semanticAccuracy: 0.86 } }),
  makeRun('mupdf/sentence/dense', { name: 'dense', accuracy: { semanticAccuracy: 0.55 }, status: 'errored', error: 'store down' }),
];

describe('candidate: targets judge the run that would be deployed', () => {
  it('reports the other runs as warnings (non-blocking) and is GO on the candidate alone', () => {
    const v = evaluateGate(makeSummary(runs(), { suite: suite('hybrid') }));
    expect(v.decision).toBe('GO');
    expect(VerdictSchema.parse(v)).toEqual(v);
    expect(failedChecks(v)).toEqual([]);
    expect(warnedChecks(v).map((c) => [c.run, c.metric])).toEqual([
      ['mupdf/sentence/bm25', 'accuracy.semanticAccuracy'],
      ['mupdf/sentence/dense', 'status'],
    ]);
    expect(warnedChecks(v)[0]).toMatchObject({ pass: false, blocking: false, detail: 'informational: not the candidate "hybrid" and named by no runs: rule' });
  });

  it('is NO-GO when the candidate misses a target, and fails a candidate the summary does not have', () => {
    expect(evaluateGate(makeSummary(runs(), { suite: suite('bm25') })).decision).toBe('NO-GO');
    const missing = evaluateGate(makeSummary(runs(), { suite: suite('prod') }));
    expect(missing.decision).toBe('NO-GO');
    expect(failedChecks(missing)[0]).toMatchObject({ name: 'candidate run is in the summary', detail: expect.stringContaining('suite.candidate "prod" names no run; runs: hybrid (mupdf/sentence/hybrid), bm25') });
  });

  it('judges every run when no candidate is named (as before)', () => {
    expect(failedChecks(evaluateGate(makeSummary(runs()))).map((c) => c.run)).toEqual(['mupdf/sentence/bm25', 'mupdf/sentence/dense']);
  });

  it('lets a runs: rule name a comparison run (by name or id): that rule blocks', () => {
    const t = yaml('runs:', '  bm25:', '    accuracy.semanticAccuracy: ">= 0.90"', '  "*/dense":', '    latency.p95Ms: "< 100"');
    const v = evaluateGate(makeSummary(runs(), { suite: suite('hybrid') }), { thresholds: t });
    expect(failedChecks(v).map((c) => [c.run, c.name])).toEqual([
      ['mupdf/sentence/bm25', 'accuracy.semanticAccuracy >= 0.90'],
      ['mupdf/sentence/dense', 'run completed'],
    ]);
    // The named run's other (default) targets stay informational.
    expect(v.checks.find((c) => c.run === 'mupdf/sentence/bm25' && c.name === 'accuracy.citationAccuracy >= 0.99')?.blocking).toBe(false);
  });
});

describe('gate modes', () => {
  const ids = sampleIds(475);
  const golden = goldenFor(ids);
  const { first, second } = pairedOutcomes(475, 360, 40, 5, 1);
  // The candidate misses the semantic target (0.77 < 0.95) and regresses against last night (0.84).
  const base = makeSummary([runWithOutcomes('c', { semanticAccuracy: first }, { name: 'cand' }), runWithOutcomes('x', { semanticAccuracy: first })], { golden, suite: suite('cand') });
  const night = makeSummary([runWithOutcomes('c', { semanticAccuracy: second }, { name: 'cand' }), runWithOutcomes('x', { semanticAccuracy: second })], { golden, suite: suite('cand') });
  const steady = makeSummary([runWithOutcomes('c', { semanticAccuracy: first }, { name: 'cand' })], { golden, suite: suite('cand') });

  it('local and predeploy: target misses and regressions block', () => {
    for (const mode of ['local', 'predeploy'] as const) {
      expect(evaluateGate(steady, { mode }).decision).toBe('NO-GO'); // target miss
      const v = evaluateGate(night, { mode, baseline: base });
      expect(v.mode).toBe(mode);
      expect(v.triggers.map((t) => t.run)).toEqual(['c']);
    }
  });

  it('nightly: a target miss is a warning (GO), a regression is NO-GO; the comparison run regresses as a warning only', () => {
    const misses = evaluateGate(steady, { mode: 'nightly' });
    expect(misses.decision).toBe('GO');
    expect(warnedChecks(misses).map((c) => c.name)).toEqual(['accuracy.semanticAccuracy >= 0.95']);
    expect(warnedChecks(misses)[0]?.detail).toBe('mode nightly: target misses are reported, not blocking');
    const v = evaluateGate(night, { mode: 'nightly', baseline: base });
    expect(v.decision).toBe('NO-GO');
    expect(failedChecks(v).map((c) => [c.run, c.metric])).toEqual([['c', 'accuracy.semanticAccuracy']]);
    expect(v.triggers.map((t) => t.run)).toEqual(['c']);
    expect(warnedChecks(v).some((c) => c.run === 'x' && c.source === 'baseline')).toBe(true);
    // Against itself, nightly is GO whatever the targets.
    expect(evaluateGate(steady, { mode: 'nightly', baseline: steady }).decision).toBe('GO');
  });

  it('takes the mode policy from thresholds.modes', () => {
    const strictNight = yaml('modes:', '  nightly: { targets: block }');
    expect(evaluateGate(steady, { mode: 'nightly', thresholds: strictNight }).decision).toBe('NO-GO');
    const lenientLocal = yaml('modes:', '  local: { targets: warn, regressions: warn }');
    const v = evaluateGate(night, { mode: 'local', thresholds: lenientLocal, baseline: base });
    expect(v.decision).toBe('GO');
    expect(v.triggers).toEqual([]);
  });

  it('validates modes and significance in the grammar', () => {
    const err = (text: string) => {
      try {
        parseThresholds(text, 'gate.yml');
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        return (e as Error).message;
      }
      throw new Error('expected an InputError');
    };
    expect(err('modes:\n  weekly: { targets: warn }')).toBe('gate.yml: modes: Unrecognized key: "weekly"');
    expect(err('modes:\n  nightly: { targets: maybe }')).toBe('gate.yml: modes.nightly.targets: expected block or warn');
    expect(err('tolerances:\n  significance: 0')).toBe('gate.yml: tolerances.significance: the significance level must be above 0 (e.g. 0.05)');
    expect(err('tolerances:\n  significance: "5%"')).toBe('gate.yml: tolerances.significance: expected a significance level like 0.05 (a number, not a string)');
    expect(yaml('tolerances:', '  significance: 0.01', '  latency.p95Ms: "+10%"')).toMatchObject({ significance: 0.01, tolerances: { 'latency.p95Ms': { amount: 0.1 } } });
  });
});
