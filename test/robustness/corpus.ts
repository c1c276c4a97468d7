/**
 * What every extractor, the pipeline, the CLI and the service must do with each file of the
 * robustness corpus (scripts/make-robustness-corpus.ts). docs/robustness.md is this table in
 * prose; keep the two in step.
 */
import { join } from 'node:path';
import { REASON_ENCRYPTED } from '../../src/extract/validate.ts';
import { EXPANDED, ROBUSTNESS_DIR, TEXTS } from '../../scripts/make-robustness-corpus.ts';

export const corpusFile = (name: string): string => join(ROBUSTNESS_DIR, name);

/** Refused: the ExtractionError's reason (the message is `<file>: <reason>`). */
export interface Refused {
  name: string;
  refused: RegExp;
}

/** Ingested: the text of each page (whitespace collapsed) and the warnings that must be there. */
export interface Ingested {
  name: string;
  pages: readonly string[];
  /** Warnings every extractor gives; more may follow (library messages differ, see `libraryWarning`). */
  warnings: readonly string[];
  /** A repair the libraries report in their own words: a line matching this per library. */
  libraryWarning?: { mupdf: RegExp; pdfjs: RegExp };
  /** A known difference: these extractors refuse the file (with this reason) where the others read it. */
  refusedBy?: { extractors: readonly string[]; reason: RegExp };
}

export type Expectation = Refused | Ingested;

export const isRefused = (e: Expectation): e is Refused => 'refused' in e;

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export const EXPECTATIONS: readonly Expectation[] = [
  { name: 'empty.pdf', refused: /^empty file \(0 bytes\)$/ },
  { name: 'not-a-pdf.pdf', refused: /^not a PDF: no "%PDF-" header in its first 1024 bytes \(looks like an HTML page\)$/ },
  { name: 'truncated.pdf', refused: /^truncated: no "%%EOF" marker in its last 1024 bytes \(the file is cut short, \d+ bytes\)$/ },
  { name: 'encrypted-user-password.pdf', refused: new RegExp(`^${escape(REASON_ENCRYPTED)}$`) },
  { name: 'image-only.pdf', refused: /^no text layer: no text on its page, only images \(a scan\? run OCR first\)$/ },
  { name: 'owner-password-only.pdf', pages: [TEXTS.ownerOnly], warnings: [] },
  { name: 'partly-scanned.pdf', pages: [TEXTS.scannedCompanion, ''], warnings: ['page 2 has no text layer (1 of 2 pages)'] },
  { name: 'ligatures.pdf', pages: [`${EXPANDED.ligatureChars} ${EXPANDED.ligatureShaped}`], warnings: [] },
  { name: 'ligature-glyph-names.pdf', pages: [EXPANDED.ligatureGlyphNames], warnings: [] },
  { name: 'cjk.pdf', pages: [`${TEXTS.chinese} ${TEXTS.japanese}`], warnings: [] },
  { name: 'rtl.pdf', pages: [`${TEXTS.arabic} ${TEXTS.hebrew}`], warnings: [] },
  { name: 'emoji.pdf', pages: [TEXTS.emoji], warnings: [] },
  {
    name: 'broken-xref.pdf',
    pages: [TEXTS.brokenXref, TEXTS.plain],
    warnings: [],
    libraryWarning: { mupdf: /^mupdf: repairing PDF document$/, pdfjs: /^pdf\.js: Indexing all PDF objects$/ },
  },
  {
    name: 'no-xref-no-trailer.pdf',
    pages: [TEXTS.noXref],
    warnings: [],
    libraryWarning: { mupdf: /^mupdf: repairing PDF document$/, pdfjs: /^pdf\.js: Indexing all PDF objects$/ },
    // pdf.js rebuilds a lost xref table but needs a trailer to find the catalog; MuPDF scans for it.
    refusedBy: { extractors: ['pdf-parse', 'pdfjs'], reason: /^corrupt or unreadable PDF \(pdf(-parse|\.js): Invalid PDF structure\.\)$/ },
  },
];

/** Refused by every extractor (and so by the pipeline, the CLI and the service). */
export const REFUSED = EXPECTATIONS.filter(isRefused);
/** Ingested by the router (the default extractor), so by the pipeline, the CLI and the service. */
export const INGESTED = EXPECTATIONS.filter((e): e is Ingested => !isRefused(e));

/** What `extractor` refuses: the common refusals and its known differences. */
export function refusedBy(extractor: string): Refused[] {
  const own: Refused[] = [];
  for (const e of INGESTED) if (e.refusedBy?.extractors.includes(extractor)) own.push({ name: e.name, refused: e.refusedBy.reason });
  return [...REFUSED, ...own];
}

/** What `extractor` reads. */
export const readBy = (extractor: string): Ingested[] => INGESTED.filter((e) => !e.refusedBy?.extractors.includes(extractor));

/** The AES-256 password files (`buildAesCorpus`), written at test time: their bytes are random. */
export const AES_EXPECTATIONS: readonly Expectation[] = [
  { name: 'encrypted-user-password-aes256.pdf', refused: new RegExp(`^${escape(REASON_ENCRYPTED)}$`) },
  { name: 'owner-password-only-aes256.pdf', pages: [TEXTS.ownerOnly], warnings: [] },
];

/** Runs of whitespace to one space: extractors differ in line breaks (mupdf puts a blank line between text blocks). */
export const flat = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** The document id `ragbench ingest` gives a file. */
export const idOf = (name: string): string => name.replace(/\.pdf$/, '');
