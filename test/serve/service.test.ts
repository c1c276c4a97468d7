import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExtractor } from '../../src/extract/registry.ts';
import { ExtractionError } from '../../src/extract/types.ts';
import { BAD_PDFS, get, getText, post, startTestService, type TestService, upload, uploadFile } from './helpers.ts';
import { RecordingTracer } from './recording-tracer.ts';

interface Hit {
  rank: number;
  score: number;
  chunkId: string;
  citation: { doc: string; page: number; pageEnd: number; charStart: number; charEnd: number; quote: string };
}

/** The reason `ragbench ingest` gives for a bad PDF (the router extractor's, as the pipeline reports it). */
async function cliReason(file: string): Promise<string> {
  const extractor = createExtractor('router');
  try {
    await extractor.extract(file, 'x');
    throw new Error(`${file} was expected to be refused`);
  } catch (error) {
    if (!(error instanceof ExtractionError)) throw error;
    return error.reason;
  } finally {
    await extractor.close?.();
  }
}

describe('ragbench serve over real HTTP (mini golden set, USE-lite, FAISS)', () => {
  let svc: TestService;
  let base: string;
  const tracer = new RecordingTracer();

  beforeAll(async () => {
    svc = await startTestService({ server: { bodyLimitBytes: 4096, uploadLimitBytes: 64 * 1024 } }, tracer);
    base = svc.address;
  });
  afterAll(async () => {
    await svc?.close();
  });

  it('answers a query with cited hits, stage timings, cache status and index version', async () => {
    const r = await post(base, '/query', { question: 'When was the Greyhaven light first lit?', k: 3 });
    expect(r.status).toBe(200);
    const hits = r.body.hits as Hit[];
    expect(hits.map((h) => h.rank)).toEqual([1, 2, 3]);
    expect(hits[0]?.citation.doc).toBe('Greyhaven_Lighthouse');
    expect(hits[0]?.citation.quote).toContain('1874');
    expect(hits[0]?.citation.charEnd).toBeGreaterThan(hits[0]?.citation.charStart as number);
    expect(r.body.cache).toBe('miss');
    expect(r.body.indexVersion).toBe(1);
    const t = r.body.timings as Record<string, number>;
    expect(t.embedMs).toBeGreaterThan(0);
    expect(t.searchMs).toBeGreaterThan(0);
    expect(t.totalMs).toBeGreaterThanOrEqual((t.embedMs as number) + (t.searchMs as number));
    expect(r.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves a repeat from the cache, much faster, the same hits; whitespace variants share the entry', async () => {
    const question = 'What did the Greyhaven lamp burn before it was electrified?';
    const miss = await post(base, '/query', { question });
    const hit = await post(base, '/query', { question });
    const variant = await post(base, '/query', { question: `  ${question.replace(/ /g, '   ')}\n` });
    expect([miss.body.cache, hit.body.cache, variant.body.cache]).toEqual(['miss', 'hit', 'hit']);
    expect(hit.body.hits).toEqual(miss.body.hits);
    expect(variant.body.hits).toEqual(miss.body.hits);
    const missMs = (miss.body.timings as { totalMs: number }).totalMs;
    const hitMs = (hit.body.timings as { totalMs: number }).totalMs;
    expect(hitMs).toBeLessThan(missMs / 5);
    expect(hitMs).toBeLessThan(50);
    // A different k is a different answer.
    expect((await post(base, '/query', { question, k: 2 })).body.cache).toBe('miss');
    // noCache: computed, neither read from nor written to the cache.
    expect((await post(base, '/query', { question, noCache: true })).body.cache).toBe('bypass');
  });

  it('refuses bad bodies with 400 naming the field', async () => {
    const cases: [unknown, string][] = [
      [{}, 'question'],
      [{ question: '' }, 'question'],
      [{ question: 42 }, 'question'],
      [{ question: 'x', k: 0 }, 'k'],
      [{ question: 'x', k: 1.5 }, 'k'],
      [{ question: 'x', k: 101 }, 'k'],
      [{ question: 'x', filters: { documents: [] } }, 'filters.documents'],
      [{ question: 'x', filters: { doc: 'a' } }, 'filters'],
      [{ question: 'x', colour: 'red' }, '(body)'],
      [[1, 2], '(body)'],
    ];
    for (const [body, field] of cases) {
      const r = await post(base, '/query', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.body.field, JSON.stringify(body)).toBe(field);
      expect(r.body.message).toContain(field === '(body)' ? '' : field);
    }
    const broken = await post(base, '/query', '{"question": ');
    expect(broken.status).toBe(400);
    expect(broken.body.field).toBe('(body)');
  });

  it('answers 413 for a body over the limit, 404 JSON for unknown routes', async () => {
    const big = await post(base, '/query', { question: 'x'.repeat(5000) });
    expect(big.status).toBe(413);
    expect(big.body.error).toBe('payload too large');
    const missing = await get(base, '/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error).toBe('not found');
    expect(missing.body.message).toContain('GET /nope');
    expect((await post(base, '/health', {})).status).toBe(404);
  });

  it('refuses bad PDFs with 422 and the same reason as the CLI', async () => {
    for (const name of ['not-a-pdf.pdf', 'truncated.pdf', 'encrypted.pdf', 'empty.pdf', 'zero-pages.pdf', 'image-only.pdf']) {
      const file = join(BAD_PDFS, name);
      const r = await uploadFile(base, file);
      expect(r.status, name).toBe(422);
      expect(r.body.reason, name).toBe(await cliReason(file));
      expect(r.body.message, name).toBe(`${name}: ${r.body.reason as string}`);
    }
    const versionAfter = (await get(base, '/health/ready')).body.index as { version: number };
    expect(versionAfter.version).toBe(1); // nothing was ingested
  });

  it('answers 413 for an upload over the limit, 400 for a missing file or a bad id, 415 for a non-multipart body', async () => {
    const huge = new Uint8Array(100 * 1024).fill(0x20);
    huge.set(Buffer.from('%PDF-1.4\n'));
    const r = await upload(base, huge, 'huge.pdf');
    expect(r.status).toBe(413);
    const badId = await uploadFile(base, join(BAD_PDFS, 'good.pdf'), '../etc');
    expect([badId.status, badId.body.field]).toEqual([400, 'id']);
    const form = new FormData();
    form.append('other', 'x');
    const none = await fetch(`${base}/documents`, { method: 'POST', body: form, signal: AbortSignal.timeout(10_000) });
    expect(none.status).toBe(400);
    expect(((await none.json()) as { field: string }).field).toBe('file');
    const json = await post(base, '/documents', { file: 'x' });
    expect(json.status).toBe(415);
  });

  it('ingests an uploaded PDF: the index version bumps and cached answers are invalidated', async () => {
    const question = 'When was the Greyhaven light first lit?';
    await post(base, '/query', { question, k: 3 });
    expect((await post(base, '/query', { question, k: 3 })).body.cache).toBe('hit');
    const invalidationsBefore = ((await get(base, '/stats')).body.cache as { invalidations: number }).invalidations;

    const r = await uploadFile(base, join(BAD_PDFS, 'good.pdf'), 'uploaded-good');
    expect(r.status).toBe(201);
    expect(r.body.indexVersion).toBe(2);
    expect(r.body.replaced).toBe(false);
    expect((r.body.document as { id: string; chunks: number }).chunks).toBeGreaterThan(0);

    const after = await post(base, '/query', { question, k: 3 });
    expect(after.body.cache).toBe('miss');
    expect(after.body.indexVersion).toBe(2);
    expect(((await get(base, '/stats')).body.cache as { invalidations: number }).invalidations).toBe(invalidationsBefore + 1);

    // The new document answers, and a filter keeps to it.
    const own = await post(base, '/query', { question, k: 2, filters: { documents: ['uploaded-good'] } });
    expect(own.status).toBe(200);
    const hits = own.body.hits as Hit[];
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.citation.doc === 'uploaded-good')).toBe(true);

    // The same id again replaces it: still one copy of its chunks.
    const chunksBefore = ((await get(base, '/health/ready')).body.index as { chunks: number }).chunks;
    const again = await uploadFile(base, join(BAD_PDFS, 'good.pdf'), 'uploaded-good');
    expect([again.status, again.body.replaced, again.body.indexVersion]).toEqual([201, true, 3]);
    expect(((await get(base, '/health/ready')).body.index as { chunks: number }).chunks).toBe(chunksBefore);
  });

  it('reports liveness and readiness with the backends it reached', async () => {
    const live = await get(base, '/health');
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ status: 'ok', ready: true });
    const ready = await get(base, '/health/ready');
    expect(ready.status).toBe(200);
    expect(ready.body.ready).toBe(true);
    expect(ready.body.backends).toEqual([expect.objectContaining({ name: 'faiss-flat', reachable: true })]);
    expect((ready.body.index as { documents: number }).documents).toBeGreaterThanOrEqual(3);
  });

  it('exposes Prometheus metrics: request durations by route and status, cache, in-flight, backends, event loop', async () => {
    await post(base, '/query', { question: 'Which harbour does the lighthouse guard?' });
    const text = await getText(base, '/metrics');
    for (const series of [
      'ragbench_http_request_duration_seconds_bucket{le="0.005",route="/query",method="POST",status_code="200"}',
      'ragbench_http_request_duration_seconds_count{route="/query",method="POST",status_code="400"}',
      'ragbench_http_request_duration_seconds_count{route="unmatched",method="GET",status_code="404"}',
      'ragbench_http_requests_in_flight',
      'ragbench_query_duration_seconds_bucket{le="0.001",cache="hit"}',
      'ragbench_query_stage_duration_seconds_count{stage="embed"}',
      'ragbench_cache_hits_total',
      'ragbench_cache_misses_total',
      'ragbench_cache_evictions_total',
      'ragbench_cache_bytes',
      'ragbench_cache_entries',
      'ragbench_cache_invalidations_total',
      'ragbench_cache_single_flight_joins_total',
      'ragbench_queries_computing',
      'ragbench_queries_rejected_total{reason="overload"}',
      'ragbench_backend_errors_total{backend="faiss-flat",kind="error"}',
      'ragbench_consensus_agreement',
      'ragbench_query_vector_cache_hits_total',
      'nodejs_eventloop_lag_p99_seconds',
      'process_resident_memory_bytes',
    ]) {
      expect(text, series).toContain(series);
    }
    expect(Number(/^ragbench_cache_hits_total (\d+)/m.exec(text)?.[1])).toBeGreaterThan(0);
    expect(Number(/^ragbench_cache_bytes (\d+)/m.exec(text)?.[1])).toBeGreaterThan(0);
  });

  it('GET /stats reports hit ratio and hit/miss latency separately; POST /stats/reset starts a new window', async () => {
    const stats = (await get(base, '/stats')).body;
    const latency = stats.latencyMs as Record<string, { count: number; p50Ms: number; p99Ms: number }>;
    expect(latency.hit?.count).toBeGreaterThan(0);
    expect(latency.miss?.count).toBeGreaterThan(0);
    expect(latency.hit?.p50Ms).toBeLessThan(latency.miss?.p50Ms as number);
    expect(stats.hitRatio).toBeGreaterThan(0);
    expect(stats.process).toMatchObject({ rssBytes: expect.any(Number), eventLoopDelayMs: expect.objectContaining({ p99: expect.any(Number) }) });
    const window = (await post(base, '/stats/reset', {})).body;
    expect((window.queries as { hit: number }).hit).toBe((stats.queries as { hit: number }).hit);
    const fresh = (await get(base, '/stats')).body;
    expect(fresh.queries).toMatchObject({ hit: 0, miss: 0, computed: 0 });
    expect(fresh.hitRatio).toBeNull();
  });

  it('records embed, search and merge spans under the query span', async () => {
    tracer.spans.length = 0;
    await post(base, '/query', { question: 'Who built the harbour tide gauge?' });
    const root = tracer.spans.find((s) => s.name === 'ragbench.query');
    expect(root?.attributes['ragbench.cache']).toBe('miss');
    const children = tracer.spans.filter((s) => s.parentSpanId === root?.spanId);
    expect(children.map((s) => s.name)).toEqual(['ragbench.embed', 'ragbench.search', 'ragbench.merge']);
    for (const c of children) {
      expect(c.traceId).toBe(root?.traceId);
      expect(c.endMs).toBeGreaterThanOrEqual(c.startMs);
      expect(c.startMs).toBeGreaterThanOrEqual((root?.startMs as number) - 1);
    }
  });

  it('logs JSON lines with the request id on every line of a request', async () => {
    const id = 'test-request-0001';
    await post(base, '/query', { question: 'When was the Greyhaven light first lit?' }, { 'x-request-id': id });
    const lines = svc.logs.filter((l) => l.reqId === id);
    expect(lines.map((l) => l.msg)).toEqual(['incoming request', 'query answered', 'request completed']);
    // Every line written while handling requests names its request.
    const requestLines = svc.logs.filter((l) => ['incoming request', 'request completed', 'query answered', 'document ingested'].includes(l.msg as string));
    expect(requestLines.length).toBeGreaterThan(20);
    expect(requestLines.every((l) => typeof l.reqId === 'string' && (l.reqId as string).length > 0)).toBe(true);
    const uploadLine = svc.logs.find((l) => l.msg === 'document ingested');
    expect(uploadLine?.reqId).toEqual(expect.any(String));
  });
});
