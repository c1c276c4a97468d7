import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultyStore } from '../../src/store/consensus/faults.ts';
import type { ConsensusStore } from '../../src/store/consensus/router.ts';
import { get, getText, post, startTestService, type TestService } from './helpers.ts';

describe('ragbench serve over the consensus router (faiss-flat, exact, and a crashed third backend)', () => {
  let svc: TestService;

  beforeAll(async () => {
    svc = await startTestService({
      pipeline: {
        store: {
          name: 'consensus',
          fsync: false,
          backends: [
            { store: 'faiss-flat' },
            { store: 'exact' },
            // Crashed once the start-up ingest is in (below), like a server that died.
            { store: { name: 'faulty', store: 'exact' }, label: 'dead' },
          ],
          query: { timeoutMs: 1000 },
        },
      },
    });
    ((svc.pipeline.store as ConsensusStore).backendStore('dead') as FaultyStore).setFaults({ crash: { afterCalls: 0 } });
  });
  afterAll(async () => {
    await svc?.close();
  });

  it('answers with the vote: agreement, quorum, who agreed and who failed', async () => {
    const r = await post(svc.address, '/query', { question: 'When was the Greyhaven light first lit?', k: 3 });
    expect(r.status).toBe(200);
    expect(r.body.consensus).toMatchObject({ agreement: 1, quorumMet: true, agreed: ['faiss-flat', 'exact'], failed: ['dead'] });
    // A cache hit carries the vote it was computed with.
    const hit = await post(svc.address, '/query', { question: 'When was the Greyhaven light first lit?', k: 3 });
    expect([hit.body.cache, hit.body.consensus]).toEqual(['hit', r.body.consensus]);
  });

  it('is ready while the reachable backends hold the quorum, and says which one is down', async () => {
    const ready = await get(svc.address, '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.backends).toEqual([
      expect.objectContaining({ name: 'faiss-flat', reachable: true }),
      expect.objectContaining({ name: 'exact', reachable: true }),
      expect.objectContaining({ name: 'dead', reachable: false, error: expect.stringContaining('ECONNREFUSED') }),
    ]);
  });

  it('exports the agreement and the failing backend in /metrics', async () => {
    const text = await getText(svc.address, '/metrics');
    expect(text).toMatch(/^ragbench_consensus_agreement 1$/m);
    expect(text).toMatch(/^ragbench_backend_errors_total\{backend="dead",kind="error"\} [1-9]/m);
    expect(text).toMatch(/^ragbench_backend_errors_total\{backend="exact",kind="error"\} 0$/m);
  });
});
