import { afterAll, describe, expect, it } from 'vitest';
import { post, startTestService, type TestService } from './helpers.ts';

const QUESTIONS = ['When was the Greyhaven light first lit?', 'What does the survey of the Aldermoor fens describe?', 'Who kept the lighthouse?'];

describe('pipeline.embedWorkers: query embeddings in worker threads', () => {
  const services: TestService[] = [];
  afterAll(async () => {
    for (const s of services) await s.close();
  });

  it('answers with the same hits and scores as the in-thread model, concurrently', async () => {
    const local = await startTestService({ pipeline: { retriever: 'dense' }, cache: { maxBytes: 0, queryVectors: 0 } });
    services.push(local);
    const pooled = await startTestService({ pipeline: { retriever: 'dense', embedWorkers: 2 }, cache: { maxBytes: 0, queryVectors: 0 } });
    services.push(pooled);
    const ask = async (address: string) =>
      Promise.all(QUESTIONS.map(async (question) => (await post(address, '/query', { question, k: 3 })).body.hits as { chunkId: string; score: number }[]));
    const a = await ask(local.address);
    const b = await ask(pooled.address);
    for (const [i, hits] of a.entries()) {
      expect(b[i]?.map((h) => h.chunkId)).toEqual(hits.map((h) => h.chunkId));
      b[i]?.forEach((h, j) => expect(h.score).toBeCloseTo(hits[j]?.score ?? NaN, 5));
    }
    expect(pooled.pipeline.config.embedder.name).toBe('use-lite');
  }, 120_000);
});
