import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { samplePages, type PdfProfile } from '../../src/extract/profile.ts';
import { createExtractor } from '../../src/extract/registry.ts';
import { chooseFromProfile, RouterExtractor, routePdf } from '../../src/extract/router.ts';
import { ExtractionError } from '../../src/extract/types.ts';
import { fixture, R_INTRO } from './fixtures.ts';

/** Where the right column's story first appears relative to the end of the left one. */
function columnsInOrder(text: string): boolean {
  return text.indexOf('Meanwhile the right column') > text.lastIndexOf('The left column tells one story');
}

describe('routePdf', () => {
  it('sends a single-column manual to mupdf and says what it measured', async () => {
    const route = await routePdf(R_INTRO);
    expect(route.extractor).toBe('mupdf');
    expect(route.reason).toMatch(/^12 of 12 sampled pages \(of 113\) have text \(\d+ chars\/page\), /);
    expect(route.reason).toMatch(/mupdf, the fastest, reads such text as faithfully as the others$/);
    expect(route.profile?.pageCount).toBe(113);
    expect(route.profile?.sampled.map((p) => p.page)).toEqual(samplePages(113).map((i) => i + 1));
  });

  it('sends columns drawn line by line across the page to pdfjs', async () => {
    const route = await routePdf(fixture('interleaved-columns.pdf'));
    expect(route.extractor).toBe('pdfjs');
    expect(route.reason).toBe(
      '1 of 1 sampled page (of 1) has text; 1 page (1) draws two columns line by line across the page: ' +
        'pdfjs rebuilds reading order from text positions, mupdf and pdf-parse would mix the columns',
    );
  });

  it('keeps mupdf for two columns already drawn column by column', async () => {
    const route = await routePdf(fixture('two-column.pdf'));
    expect(route.extractor).toBe('mupdf');
    expect(route.reason).toContain('1 two-column page already in reading order');
  });

  it('notes the warnings of a file MuPDF repaired', async () => {
    const route = await routePdf(fixture('damaged-xref.pdf'));
    expect(route.extractor).toBe('mupdf');
    expect(route.reason).toMatch(/MuPDF logged \d+ warnings \(damage it repaired\)/);
  });

  it('gives pdf.js a second try at a file MuPDF cannot open', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ragbench-router-')), 'garbage.pdf');
    writeFileSync(file, '%PDF-1.4\nthis is not a PDF body\n%%EOF\n');
    const route = await routePdf(file);
    expect(route.extractor).toBe('pdfjs');
    expect(route.reason).toMatch(/^MuPDF cannot open it \(corrupt or unreadable PDF \(mupdf: .+\)\): pdf\.js, an independent parser, gets a second try$/);
    await expect(new RouterExtractor().extract(file, 'g')).rejects.toThrow(ExtractionError);
    await expect(new RouterExtractor().extract(file, 'g')).rejects.toMatchObject({
      reason: expect.stringMatching(/^corrupt or unreadable PDF \(pdf\.js: /),
    });
  });
});

describe('chooseFromProfile', () => {
  const page = (n: number, chars: number) => ({ page: n, chars, fragments: chars > 0 ? 10 : 0, twoColumns: false, interleaved: false });

  it('leaves a sample without text to mupdf, which checks every page', () => {
    const profile: PdfProfile = { pageCount: 40, sampled: [page(1, 0), page(40, 0)], log: [] };
    expect(chooseFromProfile(profile)).toEqual({
      extractor: 'mupdf',
      reason: '0 of 2 sampled pages (of 40) have text: mupdf checks every page and names the problem',
    });
  });
});

describe('RouterExtractor', () => {
  it('records the choice on the document and reads the columns in order', async () => {
    const doc = await createExtractor('router').extract(fixture('interleaved-columns.pdf'), 'cols');
    expect(doc.extractor).toBe('pdfjs');
    expect(doc.route?.extractor).toBe('pdfjs');
    expect(doc.route?.reason).toContain('line by line');
    expect(columnsInOrder(doc.text)).toBe(true);
  });

  it('reuses one extractor per kind across documents', async () => {
    const router = new RouterExtractor();
    const a = await router.extract(fixture('good.pdf'), 'a');
    const b = await router.extract(fixture('two-column.pdf'), 'b');
    expect([a.route?.extractor, b.route?.extractor]).toEqual(['mupdf', 'mupdf']);
  });

  // The reason the rule gives for pdfjs is true: the other two keep content order.
  it.each(['mupdf', 'pdf-parse'])('%s mixes interleaved columns', async (name) => {
    const doc = await createExtractor(name).extract(fixture('interleaved-columns.pdf'), 'cols');
    expect(columnsInOrder(doc.text)).toBe(false);
  });
});

describe('samplePages', () => {
  it('takes every page of a short document and spreads the sample over a long one', () => {
    expect(samplePages(3)).toEqual([0, 1, 2]);
    expect(samplePages(0)).toEqual([]);
    const sample = samplePages(2415);
    expect(sample).toHaveLength(12);
    expect(sample[0]).toBe(0);
    expect(sample[11]).toBe(2414);
  });
});
