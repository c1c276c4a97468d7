/**
 * The robustness corpus through the real CLI (`node bin/ragbench.js`): a bad file is reported as
 * `SKIPPED <file>: <reason>` and, alone, exits 2; the others are ingested and their text is
 * found by a query.
 */
import { describe, expect, it } from 'vitest';
import { EXIT } from '../../src/cli/exit.ts';
import type { IngestReport } from '../../src/pipeline/pipeline.ts';
import type { Hit } from '../../src/retrieve/types.ts';
import { ROBUSTNESS_DIR } from '../../scripts/make-robustness-corpus.ts';
import { corpusFile, flat, idOf, INGESTED, REFUSED } from './corpus.ts';
import { ragbench } from './run.ts';

// BM25: no embedding model to load, so each CLI run stays short.
const STAGES = ['--retriever', 'bm25'];

describe('robustness corpus through `ragbench ingest` and `ragbench query`', () => {
  it('ingests the folder: ok lines for the readable files, SKIPPED <file>: <reason> for the others, exit 0', async () => {
    const r = await ragbench(['ingest', ROBUSTNESS_DIR, ...STAGES]);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    for (const e of INGESTED) {
      expect(r.stdout).toMatch(new RegExp(`^ok {6}${idOf(e.name)}: ${e.pages.length} pages?, [1-9]\\d* chunks?, (mupdf|pdfjs) \\(router: `, 'm'));
    }
    expect(r.stdout).toMatch(/^ok {6}partly-scanned: .*\n {4}warnings: page 2 has no text layer \(1 of 2 pages\)$/m);
    expect(r.stdout).toMatch(/^ok {6}broken-xref: .*\n {4}warnings: .*mupdf: repairing PDF document/m);
    for (const e of REFUSED) {
      const line = r.stdout.split('\n').find((l) => l.startsWith(`SKIPPED ${corpusFile(e.name)}: `));
      expect(line, `no SKIPPED line for ${e.name}`).toBeDefined();
      expect((line as string).slice(`SKIPPED ${corpusFile(e.name)}: `.length)).toMatch(e.refused);
    }
  });

  it.each(REFUSED)('exits 2 for $name alone, naming the file and the reason', async ({ name, refused }) => {
    const r = await ragbench(['ingest', corpusFile(name), ...STAGES, '--json']);
    expect(r.code, r.stderr).toBe(EXIT.invalidInput);
    const report = JSON.parse(r.stdout) as IngestReport;
    expect(report.documents).toEqual([]);
    expect(report.failed).toHaveLength(1);
    expect(report.failed[0]?.file).toBe(corpusFile(name));
    expect(report.failed[0]?.reason).toMatch(refused);
  });

  it('finds the text of every readable file: ligatures as letters, CJK, Arabic, Hebrew and emoji as written', async () => {
    const question = INGESTED.flatMap((e) => e.pages).join(' ');
    const r = await ragbench(['query', question, '--docs', ROBUSTNESS_DIR, ...STAGES, '-k', '50', '--json']);
    expect(r.code, r.stderr).toBe(EXIT.ok);
    for (const e of REFUSED) expect(r.stderr).toContain(`SKIPPED ${corpusFile(e.name)}: `);
    const hits = JSON.parse(r.stdout) as Hit[];
    for (const e of INGESTED) {
      const quotes = hits
        .filter((h) => h.citation.doc === idOf(e.name))
        .sort((a, b) => a.citation.charStart - b.citation.charStart)
        .map((h) => h.citation.quote);
      const text = flat(quotes.join(' '));
      for (const page of e.pages) expect(text, e.name).toContain(page);
    }
  });
});
