import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createExtractor } from '../../src/extract/registry.ts';
import type { PageText } from '../../src/extract/types.ts';
import { alignExtraction } from '../../src/stage-eval/extraction/align.ts';
import { evaluateExtraction } from '../../src/stage-eval/extraction/evaluate.ts';
import { blockEditSimilarity, orderRecall, wordScores, words } from '../../src/stage-eval/extraction/measures.ts';
import { rManualReference, type ReferenceDocument } from '../../src/stage-eval/extraction/references.ts';
import { ExtractionResultSchema, type ExtractionResult } from '../../src/stage-eval/extraction/schema.ts';
import { InputError } from '../../src/util/errors.ts';
import { requireRManual } from './r-manuals.ts';

const GOLDEN = join(import.meta.dirname, '..', '..', 'golden', 'squad-dev');

describe('evaluateExtraction on R-FAQ and one golden PDF, every extractor', () => {
  let result: ExtractionResult;
  beforeAll(async () => {
    requireRManual('R-FAQ.pdf');
    requireRManual('R-FAQ.html');
    result = await evaluateExtraction({ manuals: ['R-FAQ'], goldenDir: GOLDEN, goldenDocuments: ['Normans'] });
  });

  it('returns a result its schema accepts, with every extractor on every document', () => {
    expect(ExtractionResultSchema.parse(result)).toEqual(result);
    expect(result.extractors).toEqual(['pdf-parse', 'pdfjs', 'mupdf', 'router']);
    expect(result.documents.map((d) => [d.name, d.source, d.pages])).toEqual([
      ['R-FAQ', 'r-manual', 52],
      ['Normans', 'golden', 8],
    ]);
    for (const d of result.documents) expect(d.perExtractor.map((p) => p.extractor)).toEqual(result.extractors);
  });

  it('finds the golden PDF text exactly: it was typeset from the reference', () => {
    const normans = result.documents[1]!;
    for (const p of normans.perExtractor) {
      expect(p.error).toBeUndefined();
      expect(p.similarity).toBeGreaterThan(0.999);
      expect(p.wordF1).toBeGreaterThan(0.999);
      expect(p.orderRecall).toBeGreaterThan(0.999);
    }
  });

  it('scores R-FAQ high but below 1: the editions differ in cross-references and footnote marks', () => {
    const faq = result.documents[0]!;
    expect(faq.scoredPages).toBe(48);
    expect([faq.anchorsFound, faq.anchors]).toEqual([94, 94]);
    expect(faq.footnotes).toBe(0); // R-FAQ has none; R-intro has 27
    for (const p of faq.perExtractor) {
      expect(p.similarity).toBeGreaterThan(0.9);
      expect(p.similarity).toBeLessThan(1);
      expect(p.wordF1).toBeGreaterThan(0.95);
      expect(p.orderRecall).toBeGreaterThan(0.9);
      expect(p.pagesPerSecond).toBeCloseTo(52 / p.seconds, 6);
    }
  });

  it('records the router choice and whether it was as good as the best', () => {
    for (const d of result.documents) {
      expect(d.routerChoice).toBe('mupdf');
      expect(['pdf-parse', 'pdfjs', 'mupdf']).toContain(d.best);
    }
    const picked = result.documents.filter((d) => {
      const sim = (n: string | null): number => d.perExtractor.find((p) => p.extractor === n)!.similarity;
      return sim(d.routerChoice) >= sim(d.best);
    }).length;
    expect(result.router).toEqual({ documents: 2, pickedBest: picked });
  });

  it('weights the overall scores by reference words and sums pages over seconds', () => {
    for (const o of result.overall.all) {
      const rows = result.documents.map((d) => ({ w: d.referenceWords, pages: d.pages, s: d.perExtractor.find((p) => p.extractor === o.extractor)! }));
      const weight = rows.reduce((n, r) => n + r.w, 0);
      expect(o.similarity).toBeCloseTo(rows.reduce((n, r) => n + r.s.similarity * r.w, 0) / weight, 12);
      expect(o.wordF1).toBeCloseTo(rows.reduce((n, r) => n + r.s.wordF1 * r.w, 0) / weight, 12);
      expect(o.pagesPerSecond).toBeCloseTo(60 / rows.reduce((n, r) => n + r.s.seconds, 0), 6);
      expect(o.failures).toBe(0);
    }
    expect(result.overall['r-manual'][0]!.similarity).toBeCloseTo(result.documents[0]!.perExtractor[0]!.similarity, 12);
    expect(result.overall.golden[0]!.documents).toBe(1);
  });
});

describe('the measures tell a damaged extraction from a faithful one (R-FAQ, mupdf)', () => {
  let ref: ReferenceDocument;
  let pages: PageText[];
  const score = (p: readonly PageText[]): { similarity: number; f1: number; order: number } => {
    const a = alignExtraction(ref, p);
    const r = words(a.referenceText);
    const e = words(a.extractedText);
    return { similarity: blockEditSimilarity(a.blocks), f1: wordScores(r, e).f1, order: orderRecall(r, e) };
  };
  beforeAll(async () => {
    requireRManual('R-FAQ.html');
    ref = await rManualReference('/usr/share/R/doc/manual', 'R-FAQ');
    pages = (await createExtractor('mupdf').extract(ref.pdf, 'R-FAQ')).pages;
  });

  it('lines in reverse order keep the words but lose the order', () => {
    const faithful = score(pages);
    const reversed = score(pages.map((p) => ({ ...p, text: p.text.split('\n').reverse().join('\n') })));
    expect(reversed.f1).toBeGreaterThan(faithful.f1 - 0.02);
    expect(reversed.order).toBeLessThan(faithful.order - 0.2);
    expect(reversed.similarity).toBeLessThan(faithful.similarity - 0.3);
  });

  it('half the lines dropped halves word recall', () => {
    const faithful = score(pages);
    const halved = score(pages.map((p) => ({ ...p, text: p.text.split('\n').filter((_, i) => i % 2 === 0).join('\n') })));
    expect(halved.f1).toBeLessThan(faithful.f1 - 0.2);
    expect(halved.similarity).toBeLessThan(faithful.similarity - 0.3);
  });
});

describe('evaluateExtraction input errors', () => {
  it('names a golden document that is not in the set', async () => {
    await expect(evaluateExtraction({ manuals: [], goldenDir: GOLDEN, goldenDocuments: ['Nope'], extractors: ['mupdf'] })).rejects.toThrow(
      /no golden document "Nope"/,
    );
  });

  it('refuses to score nothing', async () => {
    await expect(evaluateExtraction({ manuals: [] })).rejects.toBeInstanceOf(InputError);
  });

  it('names the missing R manual and `npm run setup`', async () => {
    await expect(evaluateExtraction({ manualsDir: '/nonexistent', manuals: ['R-FAQ'] })).rejects.toThrow(/\/nonexistent\/R-FAQ\.pdf.*npm run setup/);
  });
});

describe('evaluateExtraction on a damaged manual', () => {
  it('records the extractor that fails with its reason and counts it, while the others are scored', async () => {
    // R-intro with 20 KB blanked at 40% of the file: MuPDF repairs it, pdf.js gives up (bench/extract.ts).
    const dir = mkdtempSync(join(tmpdir(), 'ragbench-damaged-'));
    const bytes = readFileSync(requireRManual('R-intro.pdf'));
    const from = Math.floor(bytes.length * 0.4);
    bytes.fill(0x20, from, from + 20_000);
    writeFileSync(join(dir, 'R-intro.pdf'), bytes);
    copyFileSync(requireRManual('R-intro.html'), join(dir, 'R-intro.html'));
    const result = await evaluateExtraction({ manualsDir: dir, manuals: ['R-intro'], extractors: ['pdf-parse', 'mupdf'] });
    const [pdfParse, mupdf] = result.documents[0]!.perExtractor;
    expect(pdfParse!.error).toMatch(/pdf-parse/);
    expect(pdfParse!.similarity).toBe(0);
    expect(mupdf!.error).toBeUndefined();
    expect(mupdf!.wordF1).toBeGreaterThan(0.5);
    expect(mupdf!.wordF1).toBeLessThan(0.95);
    expect(result.documents[0]!.best).toBe('mupdf');
    expect(result.overall.all.map((o) => o.failures)).toEqual([1, 0]);
  });
});
