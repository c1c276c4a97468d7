import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pipeline, type IngestReport } from '../../src/pipeline/pipeline.ts';
import { findPdfs } from '../../src/pipeline/sources.ts';
import { InputError } from '../../src/util/errors.ts';

describe('Pipeline library API (real PDFs, USE-lite, FAISS)', () => {
  let pipeline: Pipeline;
  let report: IngestReport;

  beforeAll(async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'ragbench-pipe-'));
    pipeline = await Pipeline.create({ chunker: { name: 'sentence', n: 3, overlap: 1 }, retriever: 'hybrid', cacheDir });
    report = await pipeline.ingest(await findPdfs(['test/fixtures/golden-mini/docs', 'test/fixtures/bad-pdfs/encrypted.pdf']));
  });
  afterAll(() => pipeline.close());

  it('ingests the good PDFs and reports the bad one with its reason', () => {
    expect(report.documents.map((d) => d.id).sort()).toEqual(['Comment_Form_Audit', 'Greyhaven_Lighthouse', 'Harbour_Tides']);
    expect(report.documents.every((d) => d.chunks > 0 && d.route !== undefined)).toBe(true);
    expect(report.failed).toEqual([{ file: expect.stringMatching(/encrypted\.pdf$/), reason: 'encrypted: a password is required to open it' }]);
  });

  it('answers with cited hits whose quote is on the cited pages', async () => {
    const hits = await pipeline.query('When was the Greyhaven light first lit?', 3);
    expect(hits).toHaveLength(3);
    expect(hits[0]?.citation.doc).toBe('Greyhaven_Lighthouse');
    expect(hits[0]?.citation.quote).toContain('1874');
    expect(hits.map((h) => h.rank)).toEqual([1, 2, 3]);
    for (const h of hits) expect(h.citation.charEnd).toBeGreaterThan(h.citation.charStart);
  });

  it('resolves the defaults for stages not given', () => {
    expect(pipeline.config.extractor).toEqual({ name: 'router' });
    expect(pipeline.config.store).toEqual({ name: 'faiss-flat' });
  });
});

describe('findPdfs', () => {
  it('names missing paths, empty folders and clashing ids', async () => {
    await expect(findPdfs(['no/such/dir'])).rejects.toThrowError(new InputError('no/such/dir: no such file or folder'));
    await expect(findPdfs(['src/cli'])).rejects.toThrowError('no PDF files in src/cli');
    await expect(findPdfs(['test/fixtures/bad-pdfs/good.pdf', 'test/fixtures/bad-pdfs/good.pdf'])).rejects.toThrowError('two PDFs have the id "good"');
  });
});
