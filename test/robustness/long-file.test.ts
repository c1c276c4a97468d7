/**
 * A 3,000-page PDF, written at test time (too big to commit): every extractor reads all of it,
 * each in a process of its own with a capped JS heap, and the pipeline and the CLI ingest it.
 * Pages/s and peak RSS are printed for the record (docs/robustness.md), never asserted: the
 * bounds are the heap cap and the kill timeout, so a leak or a hang fails the test.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractorNames } from '../../src/extract/registry.ts';
import { EXIT } from '../../src/cli/exit.ts';
import { Pipeline, type IngestReport } from '../../src/pipeline/pipeline.ts';
import { LONG_PAGES, longPageText, writeLongPdf } from '../../scripts/make-robustness-corpus.ts';
import { flat } from './corpus.ts';
import type { Measurement } from './measure-extract.ts';
import { ragbench, runNode } from './run.ts';

/** JS heap cap per extractor process, in MB: pdf.js peaks near 550 MB RSS on this file. */
const HEAP_CAP_MB = 1536;
/** A process still running after this is killed: generous on a shared 2-core machine (pdf.js takes ~10 s alone). */
const KILL_AFTER_MS = 240_000;
const MEASURE = join(import.meta.dirname, 'measure-extract.ts');

describe(`a ${LONG_PAGES.toLocaleString('en')}-page PDF`, () => {
  let dir: string;
  let file: string;
  const figures: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ragbench-long-'));
    file = join(dir, 'long.pdf');
    await writeLongPdf(file);
  });
  afterAll(async () => {
    if (figures.length > 0) console.log(`${LONG_PAGES}-page PDF:\n${figures.join('\n')}`);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it.each(extractorNames())(
    'extractor %s reads every page, within the heap cap and the time limit',
    async (name) => {
      const r = await runNode([`--max-old-space-size=${HEAP_CAP_MB}`, '--import', 'tsx', MEASURE, name, file], KILL_AFTER_MS);
      expect(r.signal, `killed after ${KILL_AFTER_MS} ms`).toBeNull();
      expect(r.code, r.stderr).toBe(0);
      const m = JSON.parse(r.stdout) as Measurement;
      expect(m.reason).toBeUndefined();
      expect(m.pages).toBe(LONG_PAGES);
      expect(flat(m.firstPage ?? '')).toBe(flat(longPageText(1)));
      expect(flat(m.lastPage ?? '')).toBe(flat(longPageText(LONG_PAGES)));
      expect(m.warnings).toEqual([]);
      const via = m.extractor === name ? '' : ` (read by ${m.extractor})`;
      const rate = Math.round(m.pagesPerSecond ?? 0).toString().padStart(5);
      figures.push(`  ${name.padEnd(9)} ${rate} pages/s, ${m.seconds.toFixed(1)} s, peak RSS ${m.peakRssMb} MB${via}`);
    },
    KILL_AFTER_MS + 30_000,
  );

  describe('through Pipeline.ingest (router, sentence chunks, BM25)', () => {
    let pipeline: Pipeline;
    let report: IngestReport;

    beforeAll(async () => {
      pipeline = await Pipeline.create({ retriever: 'bm25' });
      const start = performance.now();
      report = await pipeline.ingest([{ id: 'long', file }]);
      const seconds = (performance.now() - start) / 1000;
      // In the test's own process: RSS here would count the other tests too, so only the rate.
      figures.push(`  Pipeline.ingest (extract, chunk, BM25 index) ${Math.round(LONG_PAGES / seconds)} pages/s, ${seconds.toFixed(1)} s`);
    }, KILL_AFTER_MS);
    afterAll(() => pipeline?.close());

    it('ingests all pages into chunks', () => {
      expect(report.failed).toEqual([]);
      expect(report.documents).toMatchObject([{ id: 'long', pages: LONG_PAGES, extractor: 'mupdf', warnings: [] }]);
      expect(report.documents[0]?.chunks).toBeGreaterThanOrEqual(LONG_PAGES);
    });

    it('cites a page near the end by its own number', async () => {
      // "2999" is on page 2999 only; a sentence chunk may start on the page before.
      const [hit] = await pipeline.query('2999', 1);
      const c = hit?.citation;
      expect(c?.quote).toContain('2999');
      expect([c?.page, c?.pageEnd]).toSatisfy(([from, to]: number[]) => from === 2999 || (from === 2998 && to === 2999));
    });
  });

  it(
    'ingests through `ragbench ingest` with exit 0',
    async () => {
      const r = await ragbench(['ingest', file, '--retriever', 'bm25', '--json'], KILL_AFTER_MS);
      expect(r.signal, `killed after ${KILL_AFTER_MS} ms`).toBeNull();
      expect(r.code, r.stderr).toBe(EXIT.ok);
      const report = JSON.parse(r.stdout) as IngestReport;
      expect(report.documents).toMatchObject([{ id: 'long', pages: LONG_PAGES, warnings: [] }]);
      expect(report.failed).toEqual([]);
    },
    KILL_AFTER_MS + 30_000,
  );
});
