import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/util/errors.ts';
import { describeSettings, expandGrid } from '../../src/tune/grid.ts';
import { MAX_CANDIDATES } from '../../src/tune/schema.ts';

describe('expandGrid', () => {
  it('is the cartesian product, first declared parameter varying slowest', () => {
    const grid = expandGrid({ parameters: { 'chunker.n': [3, 5], 'retriever.fusion': ['rrf', 'convex'] } });
    expect(grid.map((c) => describeSettings(c.settings))).toEqual([
      'chunker.n=3, retriever.fusion=rrf',
      'chunker.n=3, retriever.fusion=convex',
      'chunker.n=5, retriever.fusion=rrf',
      'chunker.n=5, retriever.fusion=convex',
    ]);
    expect(grid.map((c) => c.index)).toEqual([1, 2, 3, 4]);
  });

  it('sets a group\'s parameters together', () => {
    const grid = expandGrid({
      parameters: {
        weights: [
          { 'retriever.denseWeight': 0.3, 'retriever.bm25Weight': 0.7 },
          { 'retriever.denseWeight': 0.6, 'retriever.bm25Weight': 0.4 },
        ],
        'store.efSearch': [64],
      },
    });
    expect(grid).toEqual([
      { index: 1, settings: [{ parameter: 'retriever.denseWeight', value: 0.3 }, { parameter: 'retriever.bm25Weight', value: 0.7 }, { parameter: 'store.efSearch', value: 64 }] },
      { index: 2, settings: [{ parameter: 'retriever.denseWeight', value: 0.6 }, { parameter: 'retriever.bm25Weight', value: 0.4 }, { parameter: 'store.efSearch', value: 64 }] },
    ]);
  });

  it('refuses a grid too large to run', () => {
    const values = Array.from({ length: 15 }, (_, i) => i + 1);
    expect(() => expandGrid({ parameters: { 'chunker.n': values, 'chunker.overlap': values } }, 's.yml: tune')).toThrow(InputError);
    expect(() => expandGrid({ parameters: { 'chunker.n': values, 'chunker.overlap': values } }, 's.yml: tune')).toThrow(
      new RegExp(`^s\\.yml: tune: parameters: the grid has more than ${MAX_CANDIDATES} candidates`),
    );
  });
});
