import type { Chunk } from '../../src/chunk/types.ts';
import { joinPages, pageAt } from '../../src/extract/pages.ts';
import type { ExtractedDocument } from '../../src/extract/types.ts';

/** A hand-written "extraction": one page per string, offsets as an extractor would give them. */
export function handDoc(docId: string, pages: readonly string[]): ExtractedDocument {
  const list = pages.map((t, i) => ({ page: i + 1, text: t }));
  return { docId, file: `${docId}.pdf`, extractor: 'hand', pages: list, ...joinPages(list), warnings: [] };
}

/** A chunk of a document's extracted text, with the pages its characters lie on (or the pages given). */
export function chunkAt(d: ExtractedDocument, start: number, end: number, pages?: { page: number; pageEnd: number }): Chunk {
  return {
    id: `${d.docId}:${start}-${end}`,
    docId: d.docId,
    text: d.text.slice(start, end),
    charStart: start,
    charEnd: end,
    page: pages?.page ?? pageAt(d, start),
    pageEnd: pages?.pageEnd ?? pageAt(d, end - 1),
    extractor: d.extractor,
  };
}
