/** One page of extracted text. `page` is 1-based. */
export interface PageText {
  page: number;
  text: string;
}

/**
 * The text of one PDF as one extractor read it. `text` is the pages joined with
 * PAGE_SEPARATOR; `pageStarts[i]` is the character offset in `text` where page i+1 begins,
 * so any character offset maps back to a page (see pageAt in ./pages.ts).
 */
export interface ExtractedDocument {
  docId: string;
  file: string;
  extractor: string;
  pages: PageText[];
  text: string;
  pageStarts: number[];
  /** Library warnings and our own checks (e.g. "page 3 has no text layer"); never dropped. */
  warnings: string[];
  /** Set when the router chose `extractor`: which one and why, for the report. */
  route?: RouteChoice;
}

/** The router's choice for one document and a human-readable reason. */
export interface RouteChoice {
  extractor: string;
  reason: string;
}

export interface Extractor {
  /** Registry name, e.g. "mupdf". */
  readonly id: string;
  extract(file: string, docId: string): Promise<ExtractedDocument>;
  close?(): Promise<void>;
}

/** Joins pages; a blank line so that sentence and paragraph splitters see a boundary. */
export const PAGE_SEPARATOR = '\n\n';

/** Thrown for a file that cannot be ingested: names the file and the reason. */
export class ExtractionError extends Error {
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`${file}: ${reason}`);
    this.name = 'ExtractionError';
  }
}
