/**
 * Cheap measurements of a PDF for the router: page count, and on a sample of pages the text
 * layer (characters per page) and the layout (two columns of prose, and whether the content
 * stream draws them column by column or line by line across the page). One MuPDF pass over the
 * sampled pages' structured text, about 5 ms a page: 50-330 ms for a document (refman's 6.5 MB
 * takes longest to open). Over all 3,145 pages of the R manuals, libtasn1 and shared-mime-info
 * it found 34 two-column pages (their indexes, drawn column by column) and no interleaved one.
 */
import { columnSwitches, findGutter, sideOf, type Fragment } from './columns.ts';
import { FRAGMENT_GAP_EM } from './layout.ts';
import { loadMupdf, openPdf, withMupdfLog, type MupdfDocument } from './mupdf-env.ts';

/** Pages sampled, evenly spread over the document. */
export const SAMPLE_PAGES = 12;
/** Content order interleaves the columns when it switches between them at least this often... */
const MIN_SWITCHES = 4;
/** ...and on at least this share of the column lines (reading column by column switches once per section). */
const MIN_SWITCH_SHARE = 0.25;

export interface PageProfile {
  /** 1-based. */
  page: number;
  chars: number;
  fragments: number;
  twoColumns: boolean;
  /** Content order alternates between the columns: only a layout rebuild gives reading order. */
  interleaved: boolean;
}

export interface PdfProfile {
  pageCount: number;
  sampled: PageProfile[];
  /** MuPDF's log while reading the sample (repairs of damaged files show up here). */
  log: string[];
}

/** Evenly spread 0-based page indices, at most `k` of them. */
export function samplePages(pageCount: number, k = SAMPLE_PAGES): number[] {
  if (pageCount <= k) return Array.from({ length: pageCount }, (_, i) => i);
  return Array.from({ length: k }, (_, i) => Math.round((i * (pageCount - 1)) / (k - 1)));
}

/** Line fragments of one page from MuPDF's structured text. */
function pageFragments(doc: MupdfDocument, index: number): Fragment[] {
  const page = doc.loadPage(index);
  const stext = page.toStructuredText('');
  const fragments: Fragment[] = [];
  let current: Fragment | undefined;
  stext.walk({
    beginLine: () => (current = undefined),
    onChar: (c, origin, _font, size, quad) => {
      const [x, y] = origin;
      const right = Math.max(quad[2], quad[6]);
      if (current && x - current.x1 <= FRAGMENT_GAP_EM * size) {
        current.x1 = Math.max(current.x1, right);
        if (c.trim() !== '') current.chars++;
        return;
      }
      if (c.trim() === '') return;
      current = { x0: x, x1: right, y, chars: 1, size };
      fragments.push(current);
    },
  });
  stext.destroy();
  page.destroy();
  return fragments;
}

export function profilePage(page: number, fragments: readonly Fragment[]): PageProfile {
  const chars = fragments.reduce((n, f) => n + f.chars, 0);
  const gutter = findGutter(fragments);
  let interleaved = false;
  if (gutter) {
    const switches = columnSwitches(fragments, gutter);
    const columnLines = fragments.filter((f) => sideOf(f, gutter) !== 'span').length;
    interleaved = switches >= MIN_SWITCHES && switches >= MIN_SWITCH_SHARE * columnLines;
  }
  return { page, chars, fragments: fragments.length, twoColumns: gutter !== undefined, interleaved };
}

/** Profiles PDF bytes that passed checkPdfBytes; throws ExtractionError when MuPDF cannot open them. */
export async function profilePdf(file: string, bytes: Uint8Array): Promise<PdfProfile> {
  const mupdf = await loadMupdf();
  const { value, log } = withMupdfLog((openLog) => {
    const doc = openPdf(mupdf, file, bytes, openLog);
    try {
      const pageCount = doc.countPages();
      const sampled = samplePages(pageCount).map((i) => profilePage(i + 1, pageFragments(doc, i)));
      return { pageCount, sampled };
    } finally {
      doc.destroy();
    }
  });
  return { ...value, log };
}
