import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { createStore } from '../../src/store/registry.ts';
import { createHnswIndexStatement, hnswBuildMemoryMb, hnswBuildPlan, hnswGraphBytes } from '../../src/store/pgvector-sql.ts';
import { usePostgres } from '../servers/postgres-fixture.ts';
import { randomUnitVectors } from './data.ts';

const running = usePostgres();

describe('pgvector index builds', () => {
  it('size maintenance_work_mem to the graph: 256 MB at least, the cap at most', () => {
    expect(hnswBuildMemoryMb(1_000, 512, 16)).toBe(256);
    // 1M 512-d vectors at m = 16: ~3.2 GB, under the 4 GB cap.
    expect(hnswBuildMemoryMb(1_000_000, 512, 16)).toBe(Math.ceil(hnswGraphBytes(1_000_000, 512, 16) / 2 ** 20));
    expect(hnswBuildMemoryMb(1_000_000, 512, 16)).toBeGreaterThan(3_000);
    expect(hnswBuildMemoryMb(2_000_000, 512, 16)).toBe(4096);
    expect(hnswBuildMemoryMb(2_000_000, 512, 16, 8192)).toBeGreaterThan(6_000);
  });

  it('plan the build: memory, a time bound that grows with the table, the workers asked for', () => {
    const plan = hnswBuildPlan(100_000, 512, { m: 16, timeoutMs: 30_000, buildWorkers: 1 });
    expect(plan.timeoutMs).toBe(30_000 + 5 * 100_000);
    expect(plan.settings.values).toEqual([`${hnswBuildMemoryMb(100_000, 512, 16)}MB`, String(plan.timeoutMs), '1']);
    expect(hnswBuildPlan(10, 512, { m: 16, timeoutMs: 1, buildMemoryMb: 64, buildWorkers: 0 }).settings.values[0]).toBe('64MB');
  });

  // The estimate is only useful if it is not below what pgvector really uses: with exactly the
  // estimate the graph fits; with a third of it pgvector says it spilled.
  it("the estimate holds pgvector's own graph: no spill at the estimate, a spill at a third of it", async () => {
    const rows = 4_000;
    const dimensions = 512;
    const store = await createStore('pgvector', dimensions, { url: running().url, table: 'build_estimate', bulkLoadRows: Number.MAX_SAFE_INTEGER });
    const vectors = randomUnitVectors(rows, dimensions, 11);
    await store.upsert(vectors.map((vector, i) => ({ id: `v${i}`, vector, metadata: { documentId: 'd' } })));
    await store.close();

    const notices = async (memoryKb: number): Promise<string[]> => {
      const client = new pg.Client({ connectionString: running().url });
      const seen: string[] = [];
      client.on('notice', (n) => seen.push(n.message ?? ''));
      await client.connect();
      try {
        await client.query('DROP INDEX IF EXISTS build_estimate_embedding_hnsw');
        await client.query(`SET maintenance_work_mem = '${memoryKb}kB'`);
        await client.query('SET max_parallel_maintenance_workers = 0');
        await client.query(createHnswIndexStatement('build_estimate', { m: 16, efConstruction: 64 }));
      } finally {
        await client.end();
      }
      return seen;
    };
    const estimateKb = Math.ceil(hnswGraphBytes(rows, dimensions, 16) / 1024);
    expect(await notices(estimateKb)).toEqual([]);
    expect((await notices(Math.ceil(estimateKb / 3))).join(' ')).toMatch(/hnsw graph no longer fits into maintenance_work_mem/);
  }, 120_000);
});
