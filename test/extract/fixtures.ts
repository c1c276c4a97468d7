import { join } from 'node:path';

export const BAD_PDFS = join(import.meta.dirname, '..', 'fixtures', 'bad-pdfs');
export const fixture = (name: string): string => join(BAD_PDFS, name);

/** Real PDFs nobody here wrote: apt package r-doc-pdf. */
export const R_MANUALS = '/usr/share/R/doc/manual';
export const R_INTRO = join(R_MANUALS, 'R-intro.pdf');

/** The extractors every contract test runs against (the router included). */
export const EXTRACTOR_NAMES = ['pdf-parse', 'pdfjs', 'mupdf', 'router'] as const;

/** Each bad fixture and the reason every extractor must give for it. */
export const BAD_FIXTURES: readonly (readonly [string, RegExp])[] = [
  ['empty.pdf', /^empty file \(0 bytes\)$/],
  ['not-a-pdf.pdf', /^not a PDF: no "%PDF-" header in its first 1024 bytes \(looks like a PNG image\)$/],
  ['truncated.pdf', /^truncated: no "%%EOF" marker in its last 1024 bytes/],
  ['encrypted.pdf', /^encrypted: a password is required to open it$/],
  ['image-only.pdf', /^no text layer: no text on its page, only images \(a scan\? run OCR first\)$/],
  ['blank-page.pdf', /^no text layer: no text on its page, and no images either \(blank pages\)$/],
  ['zero-pages.pdf', /^has no pages/],
];
