import { describe, expect, it } from 'vitest';
import { parseSuite } from '../../src/suite/load.ts';
import { applySettings, currentValue, findTunedRun } from '../../src/tune/apply.ts';

const suite = parseSuite(
  [
    'name: s',
    'defaults: { chunker: { name: fixed, size: 800, overlap: 100 } }',
    'runs:',
    '  - { name: hybrid, retriever: hybrid }',
    '  - { name: tuned, retriever: { name: hybrid, fusion: convex, denseWeight: 0.5, bm25Weight: 0.5 } }',
    '  - { retriever: bm25 }',
  ].join('\n'),
  's.yml',
);

describe('applying a candidate to the tuned run', () => {
  it('adds an option to a stage named by a bare string', () => {
    const base = findTunedRun(suite, 'hybrid', 's.yml');
    expect(applySettings(base, suite.defaults, [{ parameter: 'retriever.rrfK', value: 20 }])).toEqual({
      name: 'hybrid',
      retriever: { name: 'hybrid', rrfK: 20 },
    });
  });

  it('keeps the options the run already sets', () => {
    const base = findTunedRun(suite, 'tuned', 's.yml');
    const out = applySettings(base, suite.defaults, [
      { parameter: 'retriever.denseWeight', value: 0.3 },
      { parameter: 'retriever.bm25Weight', value: 0.7 },
    ]);
    expect(out.retriever).toEqual({ name: 'hybrid', fusion: 'convex', denseWeight: 0.3, bm25Weight: 0.7 });
    expect(base.retriever).toMatchObject({ denseWeight: 0.5 }); // the suite's run is not mutated
  });

  it('takes an axis the run leaves out from the suite defaults, then the built-in default', () => {
    const base = findTunedRun(suite, 'hybrid', 's.yml');
    const out = applySettings(base, suite.defaults, [
      { parameter: 'chunker.size', value: 500 },
      { parameter: 'store.efSearch', value: 128 },
    ]);
    expect(out.chunker).toEqual({ name: 'fixed', size: 500, overlap: 100 });
    expect(out.store).toEqual({ name: 'faiss-flat', efSearch: 128 });
    expect(currentValue(base, suite.defaults, 'chunker.size')).toBe(800);
    expect(currentValue(base, suite.defaults, 'retriever.rrfK')).toBeUndefined();
  });

  it('names the fix when the run is not a named explicit run', () => {
    expect(() => findTunedRun(suite, 'bm25', 's.yml')).toThrow(
      /^s\.yml: tune\.run: no run named "bm25" under runs: \(named runs: "hybrid", "tuned"\); give the run to tune a `name:`/,
    );
  });
});
