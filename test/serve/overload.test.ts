import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { get, HTTP_TIMEOUT_MS, post, startTestService, type TestService } from './helpers.ts';

/** The FAISS store behind a `faulty` wrapper that makes every query take `ms` (deterministic: no jitter). */
function slowStore(ms: number) {
  return { name: 'faulty', store: 'faiss-flat', slow: { latencyMs: ms, operations: ['query'] } };
}

interface Queries {
  computed: number;
  joined: number;
  rejected: number;
  timedOut: number;
}

describe('ragbench serve under a slow vector store: limits, timeouts, single flight, shutdown', () => {
  let slow: TestService | undefined;
  let timing: TestService | undefined;

  beforeAll(async () => {
    slow = await startTestService({
      server: { maxConcurrentQueries: 2, retryAfterSeconds: 3 },
      cache: { cacheableUnderMs: 200 },
      pipeline: { store: slowStore(300) },
    });
    timing = await startTestService({ server: { requestTimeoutMs: 150 }, pipeline: { store: slowStore(600) } });
  });
  afterAll(async () => {
    await Promise.all([slow?.close(), timing?.close()]);
  });

  it('answers 503 with Retry-After beyond maxConcurrentQueries', async () => {
    const base = (slow as TestService).address;
    const answers = await Promise.all(['first question', 'second question', 'third question'].map((question) => post(base, '/query', { question })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([200, 200, 503]);
    const refused = answers.find((a) => a.status === 503);
    expect(refused?.headers.get('retry-after')).toBe('3');
    expect(refused?.body).toMatchObject({ error: 'overloaded' });
    expect(refused?.body.message).toContain('limit of 2');
    const stats = (await get(base, '/stats')).body;
    expect((stats.queries as Queries).rejected).toBe(1);
  });

  it('computes N concurrent identical misses once (single flight); joiners take no slot', async () => {
    const base = (slow as TestService).address;
    const before = (await get(base, '/stats')).body.queries as Queries;
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(base, '/query', { question: 'How many steps lead up to the lantern room?' })));
    const after = (await get(base, '/stats')).body.queries as Queries;
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    expect(answers.map((a) => a.body.cache)).toEqual(Array(8).fill('miss'));
    expect(after.computed - before.computed).toBe(1);
    expect(after.joined - before.joined).toBe(7);
    for (const a of answers) expect(a.body.hits).toEqual(answers[0]?.body.hits);
  });

  it('does not cache a result computed slower than cacheableUnderMs', async () => {
    const base = (slow as TestService).address;
    const question = 'What did the Greyhaven lamp burn?';
    const first = await post(base, '/query', { question });
    const second = await post(base, '/query', { question });
    expect([first.body.cache, second.body.cache]).toEqual(['miss', 'miss']);
    expect((first.body.timings as { searchMs: number }).searchMs).toBeGreaterThanOrEqual(290);
    const cache = (await get(base, '/stats')).body.cache as { notCacheable: number; entries: number };
    expect(cache.notCacheable).toBeGreaterThanOrEqual(2);
  });

  it('answers 504 past the request timeout; the computation still finishes and is cached', async () => {
    const base = (timing as TestService).address;
    const question = 'When was the Greyhaven light first lit?';
    const started = performance.now();
    const r = await post(base, '/query', { question });
    expect(r.status).toBe(504);
    expect(r.body).toMatchObject({ error: 'timeout' });
    expect(r.body.message).toContain('150 ms');
    expect(performance.now() - started).toBeLessThan(550);
    await new Promise((resolve) => setTimeout(resolve, 700));
    const later = await post(base, '/query', { question });
    expect([later.status, later.body.cache]).toEqual([200, 'hit']);
    expect(((await get(base, '/stats')).body.queries as Queries).timedOut).toBe(1);
    expect(await (await fetch(`${base}/metrics`, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) })).text()).toMatch(/^ragbench_queries_rejected_total\{reason="timeout"\} 1$/m);
  });

  it('shuts down gracefully: a request in flight finishes, then the service closes', async () => {
    const svc = slow as TestService;
    const base = svc.address;
    const inFlight = post(base, '/query', { question: 'Which question is in flight at shutdown?' });
    await new Promise((resolve) => setTimeout(resolve, 80));
    const closing = svc.close();
    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect((answer.body.hits as unknown[]).length).toBeGreaterThan(0);
    await closing;
    await expect(fetch(`${base}/health`, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) })).rejects.toThrow();
    // The pipeline closed after the request finished: its store now refuses work.
    await expect(svc.pipeline.query('anything', 1)).rejects.toThrow(/closed/);
  });
});
