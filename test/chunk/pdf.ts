import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import * as mupdf from 'mupdf';
import { joinPages } from '../../src/extract/pages.ts';
import type { ExtractedDocument, PageText } from '../../src/extract/types.ts';

export const R_INTRO = '/usr/share/R/doc/manual/R-intro.pdf';

/** Reads pages [first, last] (1-based, inclusive) of a real PDF with MuPDF, as an extractor would. */
export function readPdf(file: string, first: number, last: number): ExtractedDocument {
  const pdf = mupdf.Document.openDocument(readFileSync(file), 'application/pdf');
  const pages: PageText[] = [];
  for (let p = first; p <= Math.min(last, pdf.countPages()); p++) {
    pages.push({ page: p, text: pdf.loadPage(p - 1).toStructuredText('').asText() });
  }
  return { docId: basename(file, '.pdf'), file, extractor: 'mupdf', pages, ...joinPages(pages), warnings: [] };
}

/** A document made of the given page texts, for edge cases. */
export function makeDoc(pageTexts: readonly string[], docId = 'hand'): ExtractedDocument {
  const pages = pageTexts.map((text, i) => ({ page: i + 1, text }));
  return { docId, file: `${docId}.pdf`, extractor: 'hand-made', pages, ...joinPages(pages), warnings: [] };
}
