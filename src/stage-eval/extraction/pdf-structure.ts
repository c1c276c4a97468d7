/**
 * What the scoring needs to know about a PDF independently of the extractor being scored, read
 * once with MuPDF: its outline (which page each chapter starts on) and its running headers and
 * footers (the lines to drop from every extractor's page text).
 *
 * A running line is one at the very top or bottom of a page (within 3 pt of the topmost or
 * bottommost line) whose text, digits and roman numerals masked ("Chapter 2: R Basics", "6"),
 * recurs there on at least 3 pages and is a page number or has a letter. Body text at the top of a page does not recur, so the
 * bundled golden PDFs (no headers) keep every line.
 */
import { loadMupdf, openPdf, withMupdfLog, type MupdfDocument } from '../../extract/mupdf-env.ts';
import { loadPdfBytes } from '../../extract/validate.ts';

export interface OutlineEntry {
  title: string;
  /** The named destination, which texi2pdf sets to the Texinfo node name. */
  dest: string;
  /** 1-based page the entry points at. */
  page: number;
}

export interface PdfStructure {
  pageCount: number;
  /** Top-level outline entries in order; empty when the PDF has no outline. */
  outline: OutlineEntry[];
  /** runningLines[i]: the running header and footer lines found on page i + 1. */
  runningLines: string[][];
}

const BAND_PT = 3;
const MIN_PAGES = 3;

interface StextLine {
  text: string;
  bbox: { y: number; h: number };
}
interface StextJson {
  blocks: { type: string; lines?: StextLine[] }[];
}

/** "Chapter 12: Graphics 73" and "Chapter 12: Graphics 80" share a key; so do "iii" and "7". */
export function runningKey(line: string): string {
  return line
    .trim()
    .replace(/\s+/g, ' ')
    .split(' ')
    .map((w) => (/^\d+$/.test(w) || /^[ivxlcdm]+$/i.test(w) ? '#' : w.replace(/\d+/g, '#')))
    .join(' ');
}

/** The lines in the top and bottom bands of a page. */
function edgeLines(doc: MupdfDocument, index: number): string[] {
  const page = doc.loadPage(index);
  const stext = page.toStructuredText('');
  const json = JSON.parse(stext.asJSON()) as StextJson;
  stext.destroy();
  page.destroy();
  const lines = json.blocks.flatMap((b) => b.lines ?? []).filter((l) => l.text.trim() !== '');
  if (lines.length === 0) return [];
  const top = Math.min(...lines.map((l) => l.bbox.y));
  const bottom = Math.max(...lines.map((l) => l.bbox.y + l.bbox.h));
  return lines.filter((l) => l.bbox.y <= top + BAND_PT || l.bbox.y + l.bbox.h >= bottom - BAND_PT).map((l) => l.text.trim());
}

/** Given each page's edge lines, keeps those whose key recurs on MIN_PAGES pages or more. */
export function findRunningLines(edges: readonly (readonly string[])[], minPages = MIN_PAGES): string[][] {
  const pagesPerKey = new Map<string, number>();
  for (const lines of edges) for (const key of new Set(lines.map(runningKey))) pagesPerKey.set(key, (pagesPerKey.get(key) ?? 0) + 1);
  // A bare section number ("5.10.1", a contents line split by the reader) is not a running line.
  const running = (l: string): boolean => {
    const key = runningKey(l);
    return (key === '#' || /\p{L}/u.test(key)) && (pagesPerKey.get(key) ?? 0) >= minPages;
  };
  return edges.map((lines) => lines.filter(running));
}

export async function readPdfStructure(file: string): Promise<PdfStructure> {
  const bytes = await loadPdfBytes(file);
  const mupdf = await loadMupdf();
  return withMupdfLog((log) => {
    const doc = openPdf(mupdf, file, bytes, log);
    try {
      const pageCount = doc.countPages();
      const outline = (doc.loadOutline() ?? [])
        .filter((o) => o.page !== undefined && o.page >= 0)
        .map((o) => ({
          title: o.title ?? '',
          dest: decodeURIComponent((o.uri ?? '').replace(/^#(nameddest=)?/, '')),
          page: (o.page ?? 0) + 1,
        }));
      const edges = Array.from({ length: pageCount }, (_, i) => edgeLines(doc, i));
      return { pageCount, outline, runningLines: findRunningLines(edges) };
    } finally {
      doc.destroy();
    }
  }).value;
}
