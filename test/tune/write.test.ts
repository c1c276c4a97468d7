import { describe, expect, it } from 'vitest';
import { parseSuite } from '../../src/suite/load.ts';
import { applySettings, findTunedRun } from '../../src/tune/apply.ts';
import type { Setting } from '../../src/tune/grid.ts';
import { writeTunedValues } from '../../src/tune/write.ts';

const SUITE = `# A suite with comments that must survive.
name: s
defaults:
  chunker: { name: fixed, size: 800, overlap: 100 }
runs:
  # the run we tune
  - name: hybrid
    retriever: { name: hybrid, fusion: convex, denseWeight: 0.5, bm25Weight: 0.5 } # weights
  - { name: plain, retriever: hybrid }
tune:
  run: hybrid
  parameters:
    weights:
      - { retriever.denseWeight: 0.3, retriever.bm25Weight: 0.7 }
    chunker.size: [ 500 ]
k: 5 # hits per question
`;

function write(text: string, run: string, settings: Setting[], source = 'ragbench tune on x dev split'): string {
  const suite = parseSuite(text, 's.yml');
  const tunedSpec = applySettings(findTunedRun(suite, run, 's.yml'), suite.defaults, settings);
  return writeTunedValues(text, 's.yml', { run, settings, tunedSpec, source });
}

const WEIGHTS: Setting[] = [
  { parameter: 'retriever.denseWeight', value: 0.3 },
  { parameter: 'retriever.bm25Weight', value: 0.7 },
];

describe('writeTunedValues', () => {
  it('sets the values in the run, keeps comments and style, and records tuned: after tune:', () => {
    const out = write(SUITE, 'hybrid', [...WEIGHTS, { parameter: 'chunker.size', value: 500 }]);
    expect(out).toContain('# A suite with comments that must survive.');
    expect(out).toContain('  # the run we tune\n');
    expect(out).toContain('retriever: { name: hybrid, fusion: convex, denseWeight: 0.3, bm25Weight: 0.7 } # weights\n');
    // The chunker came from the defaults: the run now names it whole.
    expect(out).toContain('    chunker: { name: fixed, size: 500, overlap: 100 }\n');
    expect(out).toContain('k: 5 # hits per question');
    expect(out.indexOf('tuned:')).toBeGreaterThan(out.indexOf('tune:'));
    expect(out.indexOf('tuned:')).toBeLessThan(out.indexOf('k: 5'));

    const suite = parseSuite(out, 's.yml');
    expect(suite.runs[0]).toEqual({
      name: 'hybrid',
      retriever: { name: 'hybrid', fusion: 'convex', denseWeight: 0.3, bm25Weight: 0.7 },
      chunker: { name: 'fixed', size: 500, overlap: 100 },
    });
    expect(suite.defaults.chunker).toEqual({ name: 'fixed', size: 800, overlap: 100 });
    expect(suite.tuned).toEqual([
      { parameter: 'retriever.denseWeight', value: 0.3, source: 'ragbench tune on x dev split' },
      { parameter: 'retriever.bm25Weight', value: 0.7, source: 'ragbench tune on x dev split' },
      { parameter: 'chunker.size', value: 500, source: 'ragbench tune on x dev split' },
    ]);
  });

  it('changes nothing else in the file', () => {
    const out = write(SUITE, 'hybrid', WEIGHTS);
    const withoutTuned = out.replace(/^tuned:\n(?: {2}.*\n)+/m, '').replace('denseWeight: 0.3, bm25Weight: 0.7', 'denseWeight: 0.5, bm25Weight: 0.5');
    expect(withoutTuned).toBe(SUITE);
  });

  it('turns a stage named by a bare string into a flow map', () => {
    const out = write(SUITE, 'plain', [{ parameter: 'retriever.rrfK', value: 20 }]);
    expect(out).toContain('  - { name: plain, retriever: { name: hybrid, rrfK: 20 } }\n');
  });

  it('replaces earlier entries for the same parameters and keeps the others', () => {
    const first = write(SUITE, 'hybrid', [...WEIGHTS, { parameter: 'chunker.size', value: 500 }], 'first');
    const second = write(first, 'hybrid', [{ parameter: 'retriever.denseWeight', value: 0.4 }, { parameter: 'retriever.bm25Weight', value: 0.6 }], 'second');
    expect(parseSuite(second, 's.yml').tuned).toEqual([
      { parameter: 'chunker.size', value: 500, source: 'first' },
      { parameter: 'retriever.denseWeight', value: 0.4, source: 'second' },
      { parameter: 'retriever.bm25Weight', value: 0.6, source: 'second' },
    ]);
    expect(second.match(/^tuned:/gm)).toHaveLength(1);
  });

  it('fills an empty tuned: list in block style', () => {
    const out = write(SUITE.replace('k: 5', 'tuned: []\nk: 5'), 'hybrid', WEIGHTS);
    expect(out).toMatch(/^tuned:\n {2}- parameter: retriever\.denseWeight\n/m);
  });

  it('names the file when the run is missing', () => {
    const suite = parseSuite(SUITE, 's.yml');
    expect(() =>
      writeTunedValues(SUITE, 's.yml', { run: 'nope', settings: WEIGHTS, tunedSpec: suite.runs[0] ?? {}, source: 'x' }),
    ).toThrow(/^s\.yml: runs: no run named "nope"/);
  });
});
