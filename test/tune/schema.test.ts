import { describe, expect, it } from 'vitest';
import { AXES } from '../../src/suite/schema.ts';
import { parseSuite } from '../../src/suite/load.ts';
import { PARAMETER_PATH, TUNABLE_AXES, TuneSchema } from '../../src/tune/schema.ts';

const issues = (tune: unknown): string[] => {
  const r = TuneSchema.safeParse(tune);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('tune: block schema', () => {
  it('names the same axes as the suite schema', () => {
    expect([...TUNABLE_AXES]).toEqual([...AXES]);
    expect(PARAMETER_PATH.test('store.efSearch')).toBe(true);
    expect(PARAMETER_PATH.test('retriever')).toBe(false);
    expect(PARAMETER_PATH.test('reranker.k')).toBe(false);
  });

  it('defaults to the dev split and semanticAccuracy', () => {
    const t = TuneSchema.parse({ run: 'hybrid', parameters: { 'retriever.rrfK': [20, 60] } });
    expect(t).toMatchObject({ split: 'dev', objective: 'semanticAccuracy' });
  });

  it('refuses to tune on the test split or an unknown objective', () => {
    expect(issues({ run: 'h', split: 'test', parameters: { 'retriever.rrfK': [1] } })[0]).toMatch(/^split: /);
    expect(issues({ run: 'h', objective: 'latency', parameters: { 'retriever.rrfK': [1] } })[0]).toMatch(/^objective: /);
  });

  it('names a key that is neither a parameter path nor a group', () => {
    expect(issues({ run: 'h', parameters: { denseWeight: [0.3] } })).toEqual([
      expect.stringMatching(/^parameters\.denseWeight: expected a parameter path "<axis>\.<option>"/),
    ]);
  });

  it('accepts groups of parameters set together and checks they agree', () => {
    const group = [
      { 'retriever.denseWeight': 0.3, 'retriever.bm25Weight': 0.7 },
      { 'retriever.bm25Weight': 0.5, 'retriever.denseWeight': 0.5 },
    ];
    expect(issues({ run: 'h', parameters: { weights: group } })).toEqual([]);
    expect(issues({ run: 'h', parameters: { weights: [...group, { 'retriever.denseWeight': 1 }] } })).toEqual([
      expect.stringMatching(/^parameters\.weights\.2: every value of a group must set the same parameters/),
    ]);
    expect(issues({ run: 'h', parameters: { weights: [{ denseWeight: 1 }] } })[0]).toMatch(/^parameters\.weights\.0\.denseWeight: expected a parameter path/);
    expect(issues({ run: 'h', parameters: { 'retriever.k1': [{ 'retriever.k1': 1 }] } })[0]).toMatch(/values must be numbers, strings or booleans/);
  });

  it('refuses a parameter searched twice', () => {
    const dup = { 'retriever.denseWeight': [0.1], w: [{ 'retriever.denseWeight': 0.2 }] };
    expect(issues({ run: 'h', parameters: dup })).toEqual([expect.stringMatching(/"retriever\.denseWeight" is searched twice/)]);
  });

  it('is part of a suite, with errors naming the file and field', () => {
    const yaml = 'name: s\nruns:\n  - { name: h, retriever: hybrid }\ntune:\n  run: h\n  parameters:\n    retriever.rrfK: []\n';
    expect(() => parseSuite(yaml, 's.yml')).toThrow(/s\.yml: tune\.parameters\.retriever\.rrfK: /);
  });
});
