import { PAGE_SEPARATOR, type ExtractedDocument, type PageText } from './types.ts';

/** Builds an ExtractedDocument's `text` and `pageStarts` from its pages. */
export function joinPages(pages: readonly PageText[]): { text: string; pageStarts: number[] } {
  const pageStarts: number[] = [];
  let text = '';
  for (const [i, p] of pages.entries()) {
    if (i > 0) text += PAGE_SEPARATOR;
    pageStarts.push(text.length);
    text += p.text;
  }
  return { text, pageStarts };
}

/** The 1-based page on which character `offset` of the document text lies. */
export function pageAt(doc: Pick<ExtractedDocument, 'pageStarts'>, offset: number): number {
  const starts = doc.pageStarts;
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
