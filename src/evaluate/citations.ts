import type { ExtractedDocument } from '../extract/types.ts';
import { pageAt } from '../extract/pages.ts';
import { NormalizedText } from '../text/normalize.ts';
import type { Citation } from '../retrieve/types.ts';

/** Reads a document with a given extractor (the runner caches extractions). */
export type ReadDocument = (docId: string, extractor: string) => Promise<ExtractedDocument>;

export type CitationOutcome = { verified: true } | { verified: false; reason: string };

/**
 * The extractor that checks a citation: never the one that produced the chunk, so a
 * citation is only verified when an independent reading of the PDF has the quote on the
 * cited pages.
 */
export function verifierFor(chunkExtractor: string): string {
  return chunkExtractor === 'mupdf' ? 'pdfjs' : 'mupdf';
}

/**
 * Verifies citations: (1) the offsets are real — the chunk's own extraction has the quote at
 * [charStart, charEnd) and those characters lie on pages page..pageEnd; (2) the quote appears,
 * after golden-format normalisation, on the cited pages as read by a different extractor.
 */
export class CitationVerifier {
  private readonly pageTexts = new Map<string, NormalizedText>();

  constructor(private readonly read: ReadDocument) {}

  async verify(citation: Citation, own: ExtractedDocument): Promise<CitationOutcome> {
    if (own.docId !== citation.doc) return { verified: false, reason: `cites ${citation.doc}, chunk is from ${own.docId}` };
    const { charStart, charEnd, page, pageEnd } = citation;
    if (!(charStart >= 0 && charEnd > charStart && charEnd <= own.text.length)) {
      return { verified: false, reason: `offsets ${charStart}-${charEnd} outside the document (${own.text.length} chars)` };
    }
    if (!new NormalizedText(own.text.slice(charStart, charEnd)).contains(citation.quote)) {
      return { verified: false, reason: 'quote is not the text at the cited offsets' };
    }
    const first = pageAt(own, charStart);
    const last = pageAt(own, charEnd - 1);
    if (first !== page || last !== pageEnd) {
      return { verified: false, reason: `text lies on pages ${first}-${last}, cited ${page}-${pageEnd}` };
    }
    const verifier = verifierFor(own.extractor);
    let pages: NormalizedText;
    try {
      pages = await this.citedPages(citation, verifier);
    } catch (err) {
      return { verified: false, reason: `${verifier} could not read ${citation.doc}: ${(err as Error).message}` };
    }
    return pages.contains(citation.quote)
      ? { verified: true }
      : { verified: false, reason: `quote not found on pages ${page}-${pageEnd} as read by ${verifier}` };
  }

  private async citedPages(c: Citation, extractor: string): Promise<NormalizedText> {
    const key = `${extractor}\u0000${c.doc}\u0000${c.page}\u0000${c.pageEnd}`;
    let text = this.pageTexts.get(key);
    if (!text) {
      const doc = await this.read(c.doc, extractor);
      const pages = doc.pages.filter((p) => p.page >= c.page && p.page <= c.pageEnd).map((p) => p.text);
      text = new NormalizedText(pages.join('\n'));
      this.pageTexts.set(key, text);
    }
    return text;
  }
}
