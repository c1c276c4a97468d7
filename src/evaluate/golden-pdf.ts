/**
 * The one thing the golden loader needs from a PDF: that it is one, and how many pages it has
 * (evidence page numbers are checked against it). Uses the extractors' shared MuPDF instance
 * so that MuPDF's global log stays routed in one place.
 */
import { loadMupdf, openPdf, withMupdfLog } from '../extract/mupdf-env.ts';
import { checkPdfBytes } from '../extract/validate.ts';

/** Throws ExtractionError naming the reason when the file is not a readable PDF. */
export async function countPdfPages(file: string, bytes: Uint8Array): Promise<number> {
  checkPdfBytes(file, bytes);
  const mupdf = await loadMupdf();
  return withMupdfLog((log) => {
    const doc = openPdf(mupdf, file, bytes, log);
    try {
      return doc.countPages();
    } finally {
      doc.destroy();
    }
  }).value;
}
