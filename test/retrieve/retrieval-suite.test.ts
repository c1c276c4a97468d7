import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSuite } from '../../src/suite/load.ts';
import { currentValue, findTunedRun } from '../../src/tune/apply.ts';
import { expandGrid } from '../../src/tune/grid.ts';

const FILE = fileURLToPath(new URL('../../suites/retrieval.yml', import.meta.url));

describe('suites/retrieval.yml', () => {
  it('scores the test split and tunes its candidate on dev', async () => {
    const suite = await loadSuite(FILE);
    expect(suite.split).toBe('test');
    expect(suite.questionSample).toBeUndefined();
    expect(suite.candidate).toBe('maxsim');
    expect(suite.tune?.run).toBe('maxsim');
    expect(suite.tune?.split).toBe('dev');
    expect(expandGrid(suite.tune as NonNullable<typeof suite.tune>)).toHaveLength(20);
  });

  it('runs the values `ragbench tune --write` recorded, each with a dev-split source', async () => {
    const suite = await loadSuite(FILE);
    const run = findTunedRun(suite, 'maxsim', FILE);
    expect(suite.tuned.map((t) => t.parameter).sort()).toEqual(
      ['chunker.joinPages', 'retriever.bm25Weight', 'retriever.denseWeight', 'retriever.sentenceCandidates'].sort(),
    );
    for (const t of suite.tuned) {
      expect(currentValue(run, suite.defaults, t.parameter), t.parameter).toEqual(t.value);
      expect(t.source).toContain('dev split');
    }
    // maxChars is the citation quote limit, not a tuned value (docs/retrieval.md).
    expect(currentValue(run, suite.defaults, 'chunker.maxChars')).toBe(1000);
  });
});
