/** The contract every extractor (and the router) meets, on real PDFs and on the fixtures. */
import { afterAll, describe, expect, it } from 'vitest';
import { pageAt } from '../../src/extract/pages.ts';
import { createExtractor } from '../../src/extract/registry.ts';
import { ExtractionError, PAGE_SEPARATOR, type ExtractedDocument, type Extractor } from '../../src/extract/types.ts';
import { appears } from '../../src/text/normalize.ts';
import { GOOD_PAGES } from '../../scripts/make-bad-pdfs.ts';
import { BAD_FIXTURES, EXTRACTOR_NAMES, fixture, R_INTRO } from './fixtures.ts';

/** Phrases of R-intro.pdf and the (1-based) page they are printed on. */
const R_INTRO_PHRASES: readonly (readonly [number, string])[] = [
  [1, 'Notes on R: A Programming Environment for Data Analysis and Graphics'],
  [10, 'On some systems this will bring up a dialog box'],
  [30, 'The function aperm(a, perm) may be used to permute an array'],
  [57, 'The special assignment operator, <<-, is used to change the value associated with total'],
  [113, 'Nonlinear Regression Analysis and Its Applications'],
];

function expectConsistentOffsets(doc: ExtractedDocument): void {
  expect(doc.pageStarts).toHaveLength(doc.pages.length);
  for (const [i, page] of doc.pages.entries()) {
    expect(page.page).toBe(i + 1);
    const start = doc.pageStarts[i] as number;
    expect(doc.text.slice(start).startsWith(page.text)).toBe(true);
    expect(pageAt(doc, start)).toBe(i + 1);
    if (i > 0) expect(doc.text.slice(start - PAGE_SEPARATOR.length, start)).toBe(PAGE_SEPARATOR);
  }
}

async function rejection(extractor: Extractor, file: string): Promise<ExtractionError> {
  const err = await extractor.extract(file, 'bad').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ExtractionError);
  return err as ExtractionError;
}

describe.each(EXTRACTOR_NAMES)('extractor %s', (name) => {
  const extractor = createExtractor(name);
  afterAll(() => extractor.close?.());

  it('reads R-intro.pdf: 113 pages, known phrases on their pages, consistent offsets', async () => {
    const doc = await extractor.extract(R_INTRO, 'r-intro');
    expect(doc.docId).toBe('r-intro');
    expect(doc.file).toBe(R_INTRO);
    expect(doc.pages).toHaveLength(113);
    for (const [page, phrase] of R_INTRO_PHRASES) {
      expect(appears(phrase, doc.pages[page - 1]?.text ?? ''), `page ${page}: ${phrase}`).toBe(true);
      // ...and on no other page.
      expect(doc.pages.filter((p) => appears(phrase, p.text)).map((p) => p.page)).toEqual([page]);
    }
    expectConsistentOffsets(doc);
    expect(doc.warnings).toEqual([]);
    expect(doc.extractor).toBe(name === 'router' ? 'mupdf' : name);
  });

  it('reads the good multi-page fixture page by page, the same way twice', async () => {
    const doc = await extractor.extract(fixture('good.pdf'), 'good');
    expect(doc.pages.map((p) => p.page)).toEqual([1, 2, 3]);
    for (const [i, text] of GOOD_PAGES.entries()) expect(appears(text, doc.pages[i]?.text ?? '')).toBe(true);
    expect(doc.pages[0]?.text).not.toMatch(/bridges|comets/);
    expectConsistentOffsets(doc);
    expect(doc.warnings).toEqual([]);
    const again = await extractor.extract(fixture('good.pdf'), 'good');
    expect(again.text).toBe(doc.text);
  });

  it('warns about a page without text but keeps the others', async () => {
    const doc = await extractor.extract(fixture('partly-blank.pdf'), 'partly');
    expect(doc.pages.map((p) => p.text === '')).toEqual([false, true, false]);
    expect(doc.warnings).toContain('page 2 has no text layer (1 of 3 pages)');
    expectConsistentOffsets(doc);
  });

  it('repairs a damaged cross-reference and reports the library warnings', async () => {
    const doc = await extractor.extract(fixture('damaged-xref.pdf'), 'damaged');
    expect(doc.pages).toHaveLength(3);
    expect(appears(GOOD_PAGES[2] as string, doc.pages[2]?.text ?? '')).toBe(true);
    const library = doc.extractor === 'mupdf' ? /^mupdf: .*repair/ : /^pdf\.js: Indexing all PDF objects$/;
    expect(doc.warnings.some((w) => library.test(w)), doc.warnings.join('\n')).toBe(true);
  });

  it('keeps the readable pages of a file with one broken page (pdf-parse reads all or nothing)', async () => {
    if (name === 'pdf-parse') {
      const err = await rejection(extractor, fixture('broken-page.pdf'));
      expect(err.reason).toMatch(/^corrupt or unreadable PDF \(pdf-parse: .*flate stream\)$/);
      return;
    }
    const doc = await extractor.extract(fixture('broken-page.pdf'), 'broken');
    expect(doc.pages.map((p) => p.text === '')).toEqual([false, true, false]);
    expect(doc.warnings).toContain('page 2 has no text layer (1 of 3 pages)');
    const cause = doc.extractor === 'mupdf' ? /^mupdf: error: library error: zlib error/ : /^page 2 could not be read \(pdf\.js: .*flate stream\)$/;
    expect(doc.warnings.some((w) => cause.test(w)), doc.warnings.join('\n')).toBe(true);
  });

  it.each(BAD_FIXTURES)('rejects %s with its specific reason', async (file, reason) => {
    const err = await rejection(extractor, fixture(file));
    expect(err.file).toBe(fixture(file));
    expect(err.reason).toMatch(reason);
    expect(err.message).toBe(`${fixture(file)}: ${err.reason}`);
  });

  it('names a missing file', async () => {
    const err = await rejection(extractor, fixture('no-such-file.pdf'));
    expect(err.reason).toBe('cannot read: file not found');
  });
});
