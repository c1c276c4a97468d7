import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrate, rollbackMigration, validateOnly } from '../../src/migrate/runner.ts';
import { parseStoreSpec } from '../../src/migrate/spec.ts';
import { ChromaServer } from '../../src/servers/chroma.ts';
import { createStore } from '../../src/store/registry.ts';
import { useFaissSource } from './source.ts';

// A real Chroma server started here, and the FAISS index a real ingest saved on disk.
const source = useFaissSource();
const server = await ChromaServer.create();
beforeAll(() => server.start(), 60_000);
afterAll(async () => {
  await server.stop();
  rmSync(server.dataDir, { recursive: true, force: true });
}, 30_000);

describe('migrate FAISS -> Chroma', () => {
  it('copies every chunk with its text, validates zero loss, and rolls back to the empty collection', async () => {
    const f = source();
    const o = {
      from: parseStoreSpec('--from', { name: 'faiss-flat', dir: f.sourceDir }),
      to: parseStoreSpec('--to', { name: 'chroma', url: server.url, collection: 'migrated' }),
      stateDir: join(f.root, 'state-chroma'),
      batchSize: 100,
      parallelism: 4,
    };
    const result = await migrate(o);
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ ok: true, chunksSource: f.chunks, chunksTarget: f.chunks, lostRecords: 0, orphans: 0, duplicates: 0, checksumOk: true });
    // Chroma hands vectors back a few ulps off (measured 3.7e-9): within the stated epsilon, not bit-equal.
    expect(result.maxVectorDelta).toBeLessThanOrEqual(result.vectorEpsilon);
    expect(result.queryAgreement).toBeGreaterThanOrEqual(0.95);

    const src = await createStore('faiss-flat', 512, { dir: f.sourceDir });
    const ids = (await src.listIds()).sort().slice(0, 5);
    const want = await src.get(ids);
    await src.close();
    const target = await createStore('chroma', 512, { url: server.url, collection: 'migrated' });
    expect((await target.get(ids)).map((r) => r.metadata)).toEqual(want.map((r) => r.metadata));
    await target.delete([ids[0] as string]);
    const check = await validateOnly(o);
    expect(check).toMatchObject({ ok: false, missing: 1, lostRecords: 1 });
    expect(check.examples.missing).toEqual([ids[0]]);

    expect(await rollbackMigration(o)).toMatchObject({ restored: 0, verified: true, targetCount: 0 });
    expect(await target.count()).toBe(0);
    await target.close();
  });
});
