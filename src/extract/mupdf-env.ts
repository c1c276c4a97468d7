/**
 * One lazily loaded MuPDF.js (WASM) for the process, with its log routed to the document being
 * read: MuPDF reports repairs of damaged files only through its log, so the log is data.
 */
import { ExtractionError } from './types.ts';
import { REASON_ENCRYPTED } from './validate.ts';

export type MupdfModule = typeof import('mupdf');
export type MupdfDocument = InstanceType<MupdfModule['Document']>;

let mupdfModule: Promise<MupdfModule> | undefined;
/** Where MuPDF's log lines go while a document is open; MuPDF.js is synchronous, so one at a time. */
let logSink: string[] | undefined;

export function loadMupdf(): Promise<MupdfModule> {
  mupdfModule ??= import('mupdf').then((m) => {
    m.setLog({
      warning: (message: string) => logSink?.push(`mupdf: ${message}`),
      error: (message: string) => logSink?.push(`mupdf: error: ${message}`),
    });
    return m;
  });
  return mupdfModule;
}

/** Runs synchronous MuPDF work and returns its value with the log lines it produced. */
export function withMupdfLog<T>(work: (log: readonly string[]) => T): { value: T; log: string[] } {
  const log: string[] = [];
  logSink = log;
  try {
    return { value: work(log), log };
  } finally {
    logSink = undefined;
  }
}

/** Opens PDF bytes, failing with a specific reason; the caller destroys the document. */
export function openPdf(mupdf: MupdfModule, file: string, bytes: Uint8Array, log: readonly string[]): MupdfDocument {
  let doc: MupdfDocument;
  try {
    // The magic forces the PDF handler: by content sniffing MuPDF would open images too.
    doc = mupdf.Document.openDocument(bytes, 'application/pdf');
  } catch (err) {
    const detail = [err instanceof Error ? err.message : String(err), ...log].join('; ');
    throw new ExtractionError(file, `corrupt or unreadable PDF (mupdf: ${detail})`);
  }
  if (doc.needsPassword()) {
    doc.destroy();
    throw new ExtractionError(file, REASON_ENCRYPTED);
  }
  return doc;
}
