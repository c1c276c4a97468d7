/**
 * The robustness corpus through the HTTP service (POST /documents over real HTTP): a file the
 * CLI skips answers 422 with the same reason; a readable one answers 201 with its warnings
 * and its text is queryable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REASON_ENCRYPTED } from '../../src/extract/validate.ts';
import type { Hit } from '../../src/retrieve/types.ts';
import { TEXTS } from '../../scripts/make-robustness-corpus.ts';
import { get, post, startTestService, uploadFile, type TestService } from '../serve/helpers.ts';
import { corpusFile, flat, REFUSED } from './corpus.ts';

const refusedAs = (name: string): RegExp => (REFUSED.find((e) => e.name === name) as { refused: RegExp }).refused;

describe('robustness corpus through POST /documents', () => {
  let svc: TestService;
  let base: string;

  beforeAll(async () => {
    svc = await startTestService();
    base = svc.address;
  });
  afterAll(async () => {
    await svc?.close();
  });

  it('answers 422 for the password-protected and the image-only file, with the reason, and indexes neither', async () => {
    const before = (await get(base, '/health/ready')).body.index as { version: number };
    const encrypted = await uploadFile(base, corpusFile('encrypted-user-password.pdf'));
    expect(encrypted.status).toBe(422);
    expect(encrypted.body).toMatchObject({ error: 'unprocessable PDF', field: 'file', reason: REASON_ENCRYPTED });
    expect(encrypted.body.message).toBe(`encrypted-user-password.pdf: ${REASON_ENCRYPTED}`);
    const scan = await uploadFile(base, corpusFile('image-only.pdf'));
    expect(scan.status).toBe(422);
    expect(scan.body.reason).toMatch(refusedAs('image-only.pdf'));
    expect(scan.body.message).toBe(`image-only.pdf: ${scan.body.reason as string}`);
    expect((await get(base, '/health/ready')).body.index).toMatchObject({ version: before.version });
  });

  it('ingests a partly scanned file with a warning naming the page without text', async () => {
    const r = await uploadFile(base, corpusFile('partly-scanned.pdf'));
    expect(r.status).toBe(201); // created
    expect(r.body.document).toMatchObject({ id: 'partly-scanned', pages: 2, warnings: ['page 2 has no text layer (1 of 2 pages)'] });
    expect((r.body.document as { chunks: number }).chunks).toBeGreaterThan(0);
  });

  it('ingests the owner-password-only file and answers a query from its text', async () => {
    const r = await uploadFile(base, corpusFile('owner-password-only.pdf'));
    expect(r.status).toBe(201); // created
    expect(r.body.document).toMatchObject({ id: 'owner-password-only', pages: 1, warnings: [] });
    const q = await post(base, '/query', { question: 'Who may open and read this report?', k: 1, filters: { documents: ['owner-password-only'] } });
    expect(q.status).toBe(200);
    const [hit] = q.body.hits as Hit[];
    expect(flat(hit?.citation.quote ?? '')).toContain(TEXTS.ownerOnly);
  });
});
