/**
 * The robustness corpus through `Pipeline.ingest` as the library's users run it (the default
 * stages: router, sentence chunks, USE-lite, FAISS): bad files land in `failed` with their
 * reason, the rest are indexed and their text comes back in cited hits.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pipeline, type IngestReport } from '../../src/pipeline/pipeline.ts';
import { findPdfs } from '../../src/pipeline/sources.ts';
import { ROBUSTNESS_DIR } from '../../scripts/make-robustness-corpus.ts';
import { corpusFile, flat, idOf, INGESTED, REFUSED } from './corpus.ts';

describe('robustness corpus through Pipeline.ingest (default stages)', () => {
  let pipeline: Pipeline;
  let report: IngestReport;

  beforeAll(async () => {
    pipeline = await Pipeline.create({ cacheDir: await mkdtemp(join(tmpdir(), 'ragbench-robustness-')) });
    report = await pipeline.ingest(await findPdfs([ROBUSTNESS_DIR]));
  });
  afterAll(() => pipeline?.close());

  it('reports every bad file in failed, with its path and reason, and indexes nothing of it', () => {
    expect(report.failed.map((f) => f.file).sort()).toEqual(REFUSED.map((e) => corpusFile(e.name)).sort());
    for (const e of REFUSED) expect(report.failed.find((f) => f.file === corpusFile(e.name))?.reason).toMatch(e.refused);
    for (const e of REFUSED) expect(pipeline.documentIds()).not.toContain(idOf(e.name));
  });

  it('ingests every readable file with chunks and its warnings: none is empty', () => {
    expect(report.documents.map((d) => d.id).sort()).toEqual(INGESTED.map((e) => idOf(e.name)).sort());
    for (const e of INGESTED) {
      const doc = report.documents.find((d) => d.id === idOf(e.name));
      expect(doc?.pages, e.name).toBe(e.pages.length);
      expect(doc?.chunks, e.name).toBeGreaterThan(0);
      for (const w of e.warnings) expect(doc?.warnings, e.name).toContain(w);
      if (e.libraryWarning) expect(doc?.warnings.some((w) => e.libraryWarning?.mupdf.test(w) || e.libraryWarning?.pdfjs.test(w))).toBe(true);
    }
    expect(pipeline.chunkCount).toBe(report.documents.reduce((n, d) => n + d.chunks, 0));
  });

  it.each(INGESTED)('cites the text $name says, on its page', async (e) => {
    const id = idOf(e.name);
    const { hits } = await pipeline.queryTimed(e.pages.join(' '), 20, { documents: [id] });
    expect(hits.length).toBeGreaterThan(0);
    const cited = hits.map((h) => h.citation).sort((a, b) => a.charStart - b.charStart);
    const text = flat(cited.map((c) => c.quote).join(' '));
    for (const [i, page] of e.pages.entries()) {
      if (page === '') continue;
      expect(text).toContain(page);
      const onPage = cited.filter((c) => flat(c.quote).includes(page.slice(0, 20)));
      expect(onPage.some((c) => c.page <= i + 1 && i + 1 <= c.pageEnd), `${e.name} page ${i + 1}`).toBe(true);
    }
  });
});
