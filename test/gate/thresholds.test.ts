import { describe, expect, it } from 'vitest';
import { parseThresholds } from '../../src/gate/load.ts';
import { DEFAULT_RULES, DEFAULT_TOLERANCES, ThresholdsSchema, parseRule, parseTolerance } from '../../src/gate/thresholds.ts';
import { InputError } from '../../src/util/errors.ts';

function errorOf(text: string): string {
  try {
    parseThresholds(text, 'gate.yml');
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('threshold rules', () => {
  it('parses every operator, decimals, exponents and percentages', () => {
    expect(parseRule('< 2000')).toEqual({ op: '<', value: 2000, text: '< 2000' });
    expect(parseRule('<=1.5')).toMatchObject({ op: '<=', value: 1.5 });
    expect(parseRule('> -3')).toMatchObject({ op: '>', value: -3 });
    expect(parseRule(' >= 0.99 ')).toMatchObject({ op: '>=', value: 0.99, text: '>= 0.99' });
    expect(parseRule('== 0')).toMatchObject({ op: '==', value: 0 });
    expect(parseRule('!= 1e3')).toMatchObject({ op: '!=', value: 1000 });
    expect(parseRule('>= 99%')?.value).toBeCloseTo(0.99, 12);
    expect(parseRule('>= .5')).toMatchObject({ value: 0.5 });
  });

  it('rejects anything else', () => {
    for (const bad of ['<< 2', '2000', '< ', '<2000ms', '=> 1', '= 1', '< 1 2', '']) expect(parseRule(bad)).toBeNull();
  });

  it('names the field and the expected form for a malformed rule', () => {
    expect(errorOf('latency.p95Ms: "<< 2"')).toBe(
      'gate.yml: latency.p95Ms: expected "<op> <number>" with op one of < <= > >= == != (e.g. "< 2000", ">= 99%"), or "off"; got "<< 2"',
    );
    expect(errorOf('latency.p95Ms: 2000')).toBe('gate.yml: latency.p95Ms: expected a string like "< 2000" or ">= 0.99", or "off"');
  });

  it('rejects unknown metrics, so a typo cannot become a check that never runs', () => {
    expect(errorOf('accuracy.citationAcuracy: ">= 0.99"')).toMatch(/^gate\.yml: accuracy\.citationAcuracy: unknown metric "accuracy\.citationAcuracy"; known: accuracy\.citationAccuracy,/);
    expect(errorOf('runs:\n  bm25:\n    accuracy.recall: ">= 0.5"')).toMatch(/^gate\.yml: runs\.bm25\.accuracy\.recall: unknown metric/);
    expect(errorOf('tolerances:\n  latency.p96Ms: "+10%"')).toMatch(/^gate\.yml: tolerances\.latency\.p96Ms: unknown metric/);
  });

  it('reads top-level rules, per-run rules in order, "off", defaults and tolerances', () => {
    const t = parseThresholds(
      [
        'defaults: false',
        'latency.p95Ms: "< 100"',
        'cache.hitP95Ms: off',
        'runs:',
        '  "bm25*":',
        '    accuracy.semanticAccuracy: ">= 0.6"',
        '  dense-flat:',
        '    latency.p95Ms: off',
        'tolerances:',
        '  latency.p95Ms: "+10%"',
        '  accuracy.ndcgAt10: "0.02"',
        '  accuracy.citations: "-5"',
        '  accuracy.hitAt1: off',
      ].join('\n'),
      'gate.yml',
    );
    expect(t.defaults).toBe(false);
    expect(t.all).toEqual({ 'latency.p95Ms': { op: '<', value: 100, text: '< 100' }, 'cache.hitP95Ms': null });
    expect(t.runs).toEqual([
      { selector: 'bm25*', rules: { 'accuracy.semanticAccuracy': { op: '>=', value: 0.6, text: '>= 0.6' } } },
      { selector: 'dense-flat', rules: { 'latency.p95Ms': null } },
    ]);
    expect(t.tolerances).toEqual({
      'latency.p95Ms': { worse: 'up', amount: 0.1, relative: true, text: '+10%' },
      // No sign: the metric's direction decides (higher is better, so a drop is worse).
      'accuracy.ndcgAt10': { worse: 'down', amount: 0.02, relative: false, text: '-0.02' },
      'accuracy.citations': { worse: 'down', amount: 5, relative: false, text: '-5' },
      'accuracy.hitAt1': null,
    });
  });

  it('accepts a file whose thresholds sit under a `thresholds:` key (a suite), and JSON', () => {
    const suite = parseThresholds('name: x\nthresholds:\n  latency.p95Ms: "< 5"\n', 'suite.yml');
    expect(suite.all['latency.p95Ms']?.value).toBe(5);
    const json = parseThresholds('{"accuracy.semanticAccuracy": ">= 0.5"}', 'gate.json');
    expect(json.all['accuracy.semanticAccuracy']?.op).toBe('>=');
    expect(errorOf('thresholds:\n  defaults: maybe')).toBe('gate.yml: thresholds: defaults: expected true or false');
    expect(errorOf('- 1\n- 2')).toBe('gate.yml: (root): expected a mapping of metric paths to rules like "< 2000"');
    expect(errorOf('a: [')).toMatch(/^gate\.yml: not valid YAML\/JSON: /);
  });

  it('requires a sign on tolerances of metrics without a direction', () => {
    expect(parseTolerance('3', 'accuracy.citations')).toBe(
      'accuracy.citations has no natural direction: write the sign, "+3" (may grow) or "-3" (may drop)',
    );
    expect(parseTolerance('+20%', 'latency.p95Ms')).toEqual({ worse: 'up', amount: 0.2, relative: true, text: '+20%' });
    expect(parseTolerance('20 ms', 'latency.p95Ms')).toMatch(/^expected a tolerance like/);
    expect(errorOf('tolerances:\n  latency.p95Ms: "fast"')).toMatch(/^gate\.yml: tolerances\.latency\.p95Ms: expected a tolerance like "-0\.01"/);
  });

  it('is a zod schema a suite can embed', () => {
    const r = ThresholdsSchema.safeParse({ 'latency.p95Ms': '< 1', runs: { x: { 'latency.p50Ms': '< 1' } } });
    expect(r.success).toBe(true);
  });

  it('defaults to the production targets', () => {
    const show = Object.fromEntries(Object.entries(DEFAULT_RULES).map(([m, r]) => [m, r.text]));
    expect(show).toEqual({
      'latency.p95Ms': '< 2000',
      'cache.hitP95Ms': '< 50',
      'load.p95Ms': '< 2000',
      'load.rps': '>= 1000',
      'load.errorRate': '<= 0.001',
      'cache.hitRatio': '>= 0.85',
      'load.soak.growthOfBound': '<= 1',
      'accuracy.citationAccuracy': '>= 0.99',
      'accuracy.semanticAccuracy': '>= 0.95',
      'consensus.agreement': '>= 0.90',
      'consensus.chunksLost': '== 0',
      'migration.lostRecords': '== 0',
      'migration.duplicates': '== 0',
      'migration.orphans': '== 0',
    });
    expect(DEFAULT_TOLERANCES['accuracy.citationAccuracy']).toEqual({ worse: 'down', amount: 0.01, relative: false, text: '-0.01' });
    expect(DEFAULT_TOLERANCES['latency.p95Ms']).toEqual({ worse: 'up', amount: 0.2, relative: true, text: '+20%' });
  });
});
