import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/gate/index.ts';
import { buildReportData } from '../../src/report/data.ts';
import { runSuite } from '../../src/suite/runner.ts';
import { SummarySchema } from '../../src/summary/schema.ts';

describe('an extraction suite: every extractor scored in the summary, the report and without a pipeline run', () => {
  it('scores the R FAQ against its HTML edition and the golden PDFs against their source text', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ragbench-extraction-suite-'));
    const file = join(dir, 'suite.yml');
    await writeFile(file, ['name: extraction-mini', `golden: ${resolve('golden/squad-dev')}`, 'split: all', 'extraction:', '  manuals: [R-FAQ]', '  golden: true', '  extractors: [mupdf, pdfjs, router]'].join('\n'));
    const { summary, records } = await runSuite({ suiteFile: file, outDir: join(dir, 'reports'), cacheDir: join(dir, 'cache') });
    expect(SummarySchema.safeParse(summary).success).toBe(true);
    expect(summary.runs).toEqual([]);
    const ex = summary.extraction;
    expect(ex?.extractors).toEqual(['mupdf', 'pdfjs', 'router']);
    expect(ex?.documents.map((d) => d.source)).toEqual(['r-manual', ...Array.from({ length: 12 }, () => 'golden')]);
    const faq = ex?.documents[0];
    expect(faq?.name).toBe('R-FAQ');
    for (const p of faq?.perExtractor ?? []) {
      // The two editions differ in cross-references and footnote marks, not in the words.
      expect(p.similarity).toBeGreaterThan(0.95);
      expect(p.wordF1).toBeGreaterThan(0.98);
    }
    expect(ex?.overall.golden.find((o) => o.extractor === 'mupdf')?.similarity).toBeGreaterThan(0.999);
    // Nothing to gate but nothing missing either: the summary measured something.
    const verdict = evaluateGate(summary, {});
    expect(verdict.decision).toBe('GO');
    const data = buildReportData({ summary, queries: records, verdict, verdictSource: 'production defaults' });
    expect(data.extraction?.documents).toHaveLength(13);
  }, 180_000);
});
