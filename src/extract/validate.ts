/**
 * The checks every extractor shares. The PDF libraries do not complain reliably about bad
 * input (mupdf opens a PNG as a one-page document, all three open scanned, blank and zero-page
 * files without error), so we check the bytes before parsing and the pages after.
 */
import { readFile } from 'node:fs/promises';
import { joinPages } from './pages.ts';
import { ExtractionError, type ExtractedDocument, type PageText } from './types.ts';

/** Readers look for the header and the end marker within this many bytes (as Acrobat does). */
const MARKER_WINDOW = 1024;

export const REASON_ENCRYPTED = 'encrypted: a password is required to open it';

/** Reads a file, naming it in the error when it cannot be read. */
export async function readPdfFile(file: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(file));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a directory' : String(err);
    throw new ExtractionError(file, `cannot read: ${why}`);
  }
}

const SIGNATURES: readonly (readonly [string, readonly number[]])[] = [
  ['a PNG image', [0x89, 0x50, 0x4e, 0x47]],
  ['a JPEG image', [0xff, 0xd8, 0xff]],
  ['a GIF image', [0x47, 0x49, 0x46, 0x38]],
  ['a ZIP archive (e.g. DOCX)', [0x50, 0x4b, 0x03, 0x04]],
  ['a TIFF image', [0x49, 0x49, 0x2a, 0x00]],
];

/** A guess at what a non-PDF file is, for the error message. */
export function describeContent(bytes: Uint8Array): string {
  for (const [name, magic] of SIGNATURES) {
    if (magic.every((b, i) => bytes[i] === b)) return name;
  }
  const head = Buffer.from(bytes.subarray(0, 512)).toString('latin1');
  if (/^\s*<(!doctype html|html)/i.test(head)) return 'an HTML page';
  // Printable ASCII plus common whitespace: a text file.
  if (/^[\t\n\r\x20-\x7e]*$/.test(head)) return 'plain text';
  return 'unknown binary data';
}

function indexOfAscii(bytes: Uint8Array, marker: string, from: number, to: number): number {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).subarray(from, to).indexOf(marker, 0, 'latin1');
}

/** Checks what can be checked without a parser: empty, not a PDF, truncated. */
export function checkPdfBytes(file: string, bytes: Uint8Array): void {
  if (bytes.length === 0) throw new ExtractionError(file, 'empty file (0 bytes)');
  if (indexOfAscii(bytes, '%PDF-', 0, MARKER_WINDOW) < 0) {
    throw new ExtractionError(
      file,
      `not a PDF: no "%PDF-" header in its first ${MARKER_WINDOW} bytes (looks like ${describeContent(bytes)})`,
    );
  }
  if (indexOfAscii(bytes, '%%EOF', Math.max(0, bytes.length - MARKER_WINDOW), bytes.length) < 0) {
    throw new ExtractionError(
      file,
      `truncated: no "%%EOF" marker in its last ${MARKER_WINDOW} bytes (the file is cut short, ${bytes.length} bytes)`,
    );
  }
}

/** Reads and checks the bytes of a PDF. */
export async function loadPdfBytes(file: string): Promise<Uint8Array> {
  const bytes = await readPdfFile(file);
  checkPdfBytes(file, bytes);
  return bytes;
}

/** Maps a library's failure to open or read a PDF to an ExtractionError. */
export function libraryFailure(file: string, library: string, err: unknown): ExtractionError {
  if (err instanceof ExtractionError) return err;
  const name = err instanceof Error ? err.name : '';
  const message = err instanceof Error ? err.message : String(err);
  if (name === 'PasswordException') return new ExtractionError(file, REASON_ENCRYPTED);
  return new ExtractionError(file, `corrupt or unreadable PDF (${library}: ${message})`);
}

/** "2, 5-7, 9" for [2, 5, 6, 7, 9]. */
export function formatPageList(pages: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < pages.length; ) {
    let j = i;
    while (j + 1 < pages.length && (pages[j + 1] as number) === (pages[j] as number) + 1) j++;
    parts.push(i === j ? `${pages[i]}` : `${pages[i]}-${pages[j]}`);
    i = j + 1;
  }
  return parts.join(', ');
}

/** Distinct warnings kept per document: a badly damaged file makes MuPDF log thousands of lines. */
export const MAX_WARNINGS = 100;

/** Repeated warnings once with a count; past MAX_WARNINGS distinct ones, a line that says how many more. */
export function condenseWarnings(warnings: readonly string[], max = MAX_WARNINGS): string[] {
  const counts = new Map<string, number>();
  for (const w of warnings) counts.set(w, (counts.get(w) ?? 0) + 1);
  const distinct = [...counts].map(([w, n]) => (n > 1 ? `${w} (${n} times)` : w));
  if (distinct.length <= max) return distinct;
  const rest = distinct.slice(max - 1);
  const hidden = rest.reduce((n, w) => n + (counts.get(w.replace(/ \(\d+ times\)$/, '')) ?? 1), 0);
  return [...distinct.slice(0, max - 1), `... and ${rest.length} more distinct warnings (${hidden} in all)`];
}

export interface RawExtraction {
  file: string;
  docId: string;
  extractor: string;
  pages: PageText[];
  warnings: string[];
  /** How many pages draw images: counted only when no page has text, to tell scans from blank pages. */
  imagePages?: number;
}

/** Checks the extracted pages (zero pages, no text layer, empty pages) and builds the document. */
export function finishExtraction(raw: RawExtraction): ExtractedDocument {
  const { file, pages } = raw;
  const n = pages.length;
  if (n === 0) throw new ExtractionError(file, 'has no pages (its page tree is empty)');
  const empty = pages.filter((p) => p.text.trim() === '').map((p) => p.page);
  if (empty.length === n) {
    const withImages = raw.imagePages ?? 0;
    const pagesWord = n === 1 ? 'its page' : `any of its ${n} pages`;
    throw new ExtractionError(
      file,
      withImages > 0
        ? `no text layer: no text on ${pagesWord}, only images (a scan? run OCR first)`
        : `no text layer: no text on ${pagesWord}, and no images either (blank pages)`,
    );
  }
  const warnings = condenseWarnings(raw.warnings);
  if (empty.length > 0) {
    const which = empty.length === 1 ? `page ${empty[0]} has` : `pages ${formatPageList(empty)} have`;
    warnings.push(`${which} no text layer (${empty.length} of ${n} pages)`);
  }
  const { text, pageStarts } = joinPages(pages);
  return { docId: raw.docId, file, extractor: raw.extractor, pages, text, pageStarts, warnings };
}
