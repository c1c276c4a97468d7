import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/gate/evaluate.ts';
import { escapeXml, toJUnitXml } from '../../src/gate/junit.ts';
import { parseThresholds } from '../../src/gate/load.ts';
import { formatVerdictTable, headline } from '../../src/gate/table.ts';
import { latencies } from '../stats/synthetic.ts';
import { latencyFrom, makeRun, makeSummary } from './fixtures.ts';

const thresholds = parseThresholds('runs:\n  "b*":\n    accuracy.semanticAccuracy: ">= 0.97"\n', 'gate.yml');
// Run a's p95 doubles (timed samples on both sides); run b has no samples or per-question data: its comparisons are refused (warn).
const baseline = makeSummary([makeRun('a', { latency: latencyFrom(latencies(300, 1, 10)) }), makeRun('b')], { runId: 'prev' });
const summary = makeSummary([makeRun('a', { latency: latencyFrom(latencies(300, 2, 20)) }), makeRun('b'), makeRun('c <&> "q"', { status: 'errored', error: 'boom\u0001 <x>' })]);
const verdict = evaluateGate(summary, { thresholds, baseline });

describe('verdict table', () => {
  it('heads with the decision and counts', () => {
    const counted = verdict.checks.filter((c) => c.status === 'pass' || c.status === 'fail').length;
    const warned = verdict.checks.filter((c) => c.status === 'warn').length;
    expect(warned).toBeGreaterThan(0);
    expect(headline(verdict)).toBe(`NO-GO: 3 of ${counted} checks failed, ${warned} warnings (non-blocking), 1 rollback trigger`);
    expect(headline({ ...verdict, mode: 'nightly' })).toMatch(/ \[nightly\]$/);
    expect(headline(evaluateGate(makeSummary([makeRun('a')])))).toBe('GO: all 4 checks passed');
  });

  it('lists failures with value and threshold, one line of passes per run, then triggers and warnings', () => {
    const lines = formatVerdictTable(verdict).split('\n');
    const passedA = verdict.checks.filter((c) => c.run === 'a' && c.status === 'pass').length;
    const warned = verdict.checks.filter((c) => c.status === 'warn').length;
    expect(lines[6 + warned]).toMatch(new RegExp(`^ {2}ok +a +${passedA} checks passed$`));
    expect(lines[7 + warned]).toMatch(/^ {2}ok +b +\d+ checks passed$/);
    expect(lines.slice(6, 6 + warned).every((l) => /^ {2}warn +[ab] +baseline /.test(l))).toBe(true);
    expect(lines[0]).toBe(headline(verdict));
    expect(lines[2]).toMatch(/^ {2}RESULT +RUN +CHECK +VALUE +THRESHOLD$/);
    const failing = lines.filter((l) => l.startsWith('  FAIL'));
    expect(failing).toHaveLength(3);
    expect(lines.indexOf(failing[2] as string)).toBe(5); // the three failures come right after the header
    expect(failing.join('\n')).toMatch(/FAIL +b +accuracy\.semanticAccuracy >= 0\.97 +0\.960 +>= 0\.970/);
    expect(failing.join('\n')).toMatch(/FAIL +a +baseline latency\.p95Ms \+20% +\d\d\.\d ms +<= \d\d\.\d ms/);
    expect(failing.join('\n')).toMatch(/FAIL +c <&> "q" +run completed +errored +== completed/);
    expect(lines).toContain('Rollback triggers (baseline prev):');
    expect(lines.some((l) => /latency\.p95Ms regressed on run "a": \d\d\.\d ms vs baseline \d\d\.\d ms; raw ratio \(neither run measured a calibration\) [12]\.\d{3}, 95% interval/.test(l))).toBe(true);
    expect(lines).toContain('Warnings:');
    expect(lines.some((l) => /check(s)? not measured by their run: not counted/.test(l))).toBe(true);
  });

  it('lists every passing check when asked', () => {
    const rows = formatVerdictTable(verdict, { all: true }).split('\n').filter((l) => /^ {2}(ok|FAIL|warn) /.test(l));
    expect(rows).toHaveLength(verdict.checks.filter((c) => c.status !== 'not-measured').length);
    expect(rows.join('\n')).toMatch(/ok +a +latency\.p95Ms < 2000 +\d\d\.\d ms +< 2000\.0 ms/);
  });
});

describe('JUnit XML', () => {
  const xml = toJUnitXml(verdict);

  it('has one testcase per check, failures with their message, skipped for not measured', () => {
    const failures = verdict.checks.filter((c) => c.status === 'fail').length;
    const skipped = verdict.checks.filter((c) => c.status === 'not-measured' || c.status === 'warn').length;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="ragbench-gate"')).toBe(true);
    expect(xml.match(/<testcase /g)).toHaveLength(verdict.checks.length);
    expect(xml.match(/<failure /g)).toHaveLength(failures);
    expect(xml.match(/<skipped /g)).toHaveLength(skipped);
    expect(xml).toContain(`tests="${verdict.checks.length}" failures="${failures}" errors="0" skipped="${skipped}"`);
    expect(xml).toContain(
      '<testcase classname="ragbench-gate.b" name="accuracy.semanticAccuracy &gt;= 0.97" time="0">\n      <failure message="b: accuracy.semanticAccuracy = 0.960, expected &gt;= 0.970" type="threshold">',
    );
    expect(xml).toMatch(/<failure message="a: latency\.p95Ms = \d\d\.\d ms, expected &lt;= \d\d\.\d ms \(\d\d\.\d ms vs baseline \d\d\.\d ms[^"]*\)" type="regression">/);
    expect(xml).toMatch(/<skipped message="warn \(non-blocking\): b: accuracy\.semanticAccuracy = n\/a, expected &gt;= 0\.950 \(not compared: the baseline run has no per-question outcomes/);
  });

  it('escapes markup and replaces characters XML cannot hold', () => {
    expect(escapeXml(`a<b>&"c"'\u0001\u0008\u000b`)).toBe('a&lt;b&gt;&amp;&quot;c&quot;&apos;\ufffd\ufffd\ufffd');
    expect(xml).toContain('classname="ragbench-gate.c &lt;&amp;&gt; &quot;q&quot;"');
    expect(xml).toContain('(boom\ufffd &lt;x&gt;)');
    expect(xml).not.toMatch(/[\u0000-\u0008]/);
  });
});
