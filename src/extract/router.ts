/**
 * The extractor router: measures each PDF (./profile.ts: page count; on up to 12 evenly spread
 * pages, characters of text, two columns of prose, and whether the content stream draws those
 * columns one after the other or line by line across the page) and picks one extractor.
 *
 * Rule, in order:
 * 1. Bad input is rejected with the same ExtractionError the extractors give (empty, not a PDF,
 *    truncated, encrypted); zero pages and no text layer are named by the chosen extractor,
 *    which checks every page, not just the sample.
 * 2. MuPDF cannot open the file -> pdfjs: pdf.js is an independent parser, so it gets a second
 *    try before the document is given up.
 * 3. Any sampled page has two columns drawn line by line across the page -> pdfjs: it rebuilds
 *    reading order from text positions, while mupdf and pdf-parse keep content order and mix
 *    the columns. On the interleaved-columns fixture, sentence recall: pdfjs 1.00 (the exact
 *    text), mupdf 0.50, pdf-parse 0.50.
 * 4. Otherwise -> mupdf. On the 7 R manuals that have an HTML edition (677 pages, 10,543
 *    ground-truth sentences) mupdf's sentence recall was within 0.0024 of the best extractor
 *    (pdfjs, whose edge is keeping table rows on one line), and mupdf was 2.6-5.5x faster over
 *    three runs on a shared 2-core machine (refman, 2,415 pages: mupdf 396-843 pages/s, pdfjs
 *    154-201, pdf-parse 125-238). On damaged files MuPDF recovers the most: R-intro with 20 KB
 *    blanked kept text on 88 of 113 pages with mupdf (recall 0.678), 84 with pdfjs (0.652),
 *    and pdf-parse failed on the whole file.
 *
 * pdf-parse is never chosen: it is pdf.js without a layout rebuild and reads a document all or
 * nothing, so it was never more faithful than pdfjs nor faster than mupdf. It stays available
 * by name for comparison runs. `npm run bench:extract` reproduces these figures.
 */
import { MupdfExtractor } from './mupdf.ts';
import { PdfjsExtractor } from './pdfjs.ts';
import { profilePdf, type PdfProfile } from './profile.ts';
import { ExtractionError, type ExtractedDocument, type Extractor, type RouteChoice } from './types.ts';
import { loadPdfBytes, REASON_ENCRYPTED } from './validate.ts';

export interface RouteDecision extends RouteChoice {
  /** Undefined when MuPDF could not open the file to measure it. */
  profile?: PdfProfile;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The rule above, as a pure function of the measurements. */
export function chooseFromProfile(profile: PdfProfile): RouteChoice {
  const { sampled, pageCount } = profile;
  const withText = sampled.filter((p) => p.chars > 0);
  const interleaved = sampled.filter((p) => p.interleaved);
  const sample = `${withText.length} of ${plural(sampled.length, 'sampled page')} (of ${pageCount}) ${withText.length === 1 ? 'has' : 'have'} text`;
  if (interleaved.length > 0) {
    return {
      extractor: 'pdfjs',
      reason:
        `${sample}; ${plural(interleaved.length, 'page')} (${interleaved.map((p) => p.page).join(', ')}) ${interleaved.length === 1 ? 'draws' : 'draw'} ` +
        'two columns line by line across the page: ' +
        'pdfjs rebuilds reading order from text positions, mupdf and pdf-parse would mix the columns',
    };
  }
  if (withText.length === 0) {
    return { extractor: 'mupdf', reason: `${sample}: mupdf checks every page and names the problem` };
  }
  const chars = Math.round(withText.reduce((n, p) => n + p.chars, 0) / withText.length);
  const columns = sampled.filter((p) => p.twoColumns).length;
  const layout = columns > 0 ? `${plural(columns, 'two-column page')} already in reading order` : 'one column';
  // MuPDF repairs damaged files better than pdf.js (rule 4), so its warnings do not change the choice.
  const repaired = profile.log.length > 0 ? `; MuPDF logged ${plural(profile.log.length, 'warning')} (damage it repaired)` : '';
  return {
    extractor: 'mupdf',
    reason: `${sample} (${chars} chars/page), ${layout}${repaired}: mupdf, the fastest, reads such text as faithfully as the others`,
  };
}

/** Reads and measures a PDF and picks an extractor for it. */
export async function routePdf(file: string): Promise<RouteDecision> {
  const bytes = await loadPdfBytes(file);
  let profile: PdfProfile;
  try {
    profile = await profilePdf(file, bytes);
  } catch (err) {
    if (err instanceof ExtractionError && err.reason !== REASON_ENCRYPTED) {
      return { extractor: 'pdfjs', reason: `MuPDF cannot open it (${err.reason}): pdf.js, an independent parser, gets a second try` };
    }
    throw err;
  }
  return { ...chooseFromProfile(profile), profile };
}

/** Routes each document to mupdf or pdfjs (see the rule above) and records the choice on the document. */
export class RouterExtractor implements Extractor {
  readonly id = 'router';
  private readonly extractors = new Map<string, Extractor>();

  private extractor(name: string): Extractor {
    let ex = this.extractors.get(name);
    if (!ex) {
      ex = name === 'pdfjs' ? new PdfjsExtractor() : new MupdfExtractor();
      this.extractors.set(name, ex);
    }
    return ex;
  }

  async extract(file: string, docId: string): Promise<ExtractedDocument> {
    const { extractor, reason, profile } = await routePdf(file);
    const doc = await this.extractor(extractor).extract(file, docId);
    // MuPDF's log from measuring is already in the document when mupdf read it; otherwise keep it.
    const measured = extractor === 'mupdf' ? [] : (profile?.log ?? []).map((w) => `router: ${w}`);
    return { ...doc, warnings: [...measured, ...doc.warnings], route: { extractor, reason } };
  }
}
