import { describe, expect, it } from 'vitest';
import { collectQueryReports } from '../../../src/store/consensus/report-scope.ts';
import type { QueryReport } from '../../../src/store/consensus/report.ts';
import { consensusOver, dataset, ingest, K } from './fixtures.ts';

describe('per-query consensus reports under concurrency', () => {
  it('gives each concurrent caller its own vote, where lastQueryReport is whichever finished last', async () => {
    const { records, queries } = dataset(600, 4);
    // The liar lies on its first query only; every backend is slow, so the two queries overlap.
    const slow = { latencyMs: 40, operations: ['query'] };
    const store = await consensusOver([
      { store: { name: 'faulty', store: 'exact', slow } },
      { store: { name: 'faulty', store: 'faiss-flat', slow } },
      { store: { name: 'faulty', store: 'hnswlib', slow: { latencyMs: 40, operations: ['query'] }, byzantine: { mode: 'random-ids', forQueries: 1 } } },
    ]);
    try {
      await ingest(store, records);
      const lied: QueryReport[] = [];
      const honest: QueryReport[] = [];
      const first = collectQueryReports(lied, () => store.query(queries[0] as Float32Array, K));
      // Started while the first is in flight: the liar's second query is honest.
      await new Promise((r) => setTimeout(r, 5));
      const second = collectQueryReports(honest, () => store.query(queries[1] as Float32Array, K));
      await Promise.all([first, second]);
      expect(lied).toHaveLength(1);
      expect(honest).toHaveLength(1);
      expect(lied[0]?.dissented).toEqual(['faulty-hnswlib']);
      expect(honest[0]?.dissented).toEqual([]);
      expect(honest[0]?.agreement).toBe(1);
      expect(lied[0]?.agreement).toBeLessThan(1);
      // The router's single "last report" is one of them, so it is wrong for the other caller.
      expect([lied[0], honest[0]]).toContain(store.lastQueryReport());
      // Outside a collecting call nothing is recorded anywhere.
      await store.query(queries[2] as Float32Array, K);
      expect(lied).toHaveLength(1);
      expect(honest).toHaveLength(1);
    } finally {
      await store.close();
    }
  });
});
