import type { ExtractedDocument } from '../extract/types.ts';

/**
 * A retrievable piece of a document with its location. `charStart`/`charEnd` index the
 * document's extracted `text` (end exclusive), so `doc.text.slice(charStart, charEnd) === text`.
 * `page`/`pageEnd` are 1-based, the pages on which the chunk starts and ends.
 */
export interface Chunk {
  id: string;
  docId: string;
  text: string;
  charStart: number;
  charEnd: number;
  page: number;
  pageEnd: number;
  /** Which extractor produced the text (citation checks read the PDF with a different one). */
  extractor: string;
}

export interface Chunker {
  /** Registry name plus its parameters, e.g. "sentence(n=5,overlap=1)". */
  readonly id: string;
  chunk(doc: ExtractedDocument): Promise<Chunk[]>;
}
