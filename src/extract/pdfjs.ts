import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { layoutPage, type TextRun } from './layout.ts';
import { captureWarnings, countImagePages, loadPdfjs, PDFJS_DATA_OPTIONS, type PdfjsDocument } from './pdfjs-env.ts';
import type { ExtractedDocument, Extractor, PageText } from './types.ts';
import { finishExtraction, libraryFailure, loadPdfBytes } from './validate.ts';

function toRun(item: TextItem): TextRun {
  const [a = 0, b = 0, c = 0, d = 0, x = 0, y = 0] = item.transform as number[];
  // The font size is the length of the text matrix's vertical vector (its scale, even when rotated).
  return { text: item.str, x, y, width: item.width, size: Math.hypot(c, d) || Math.hypot(a, b) };
}

async function pageText(doc: PdfjsDocument, pageNumber: number): Promise<string> {
  const page = await doc.getPage(pageNumber);
  try {
    const content = await page.getTextContent();
    const runs = content.items.filter((it): it is TextItem => 'str' in it).map(toRun);
    return layoutPage(runs);
  } finally {
    page.cleanup();
  }
}

/** pdf.js (pdfjs-dist legacy build), layout-aware: rebuilds lines, paragraphs and column order from text positions. */
export class PdfjsExtractor implements Extractor {
  readonly id = 'pdfjs';

  async extract(file: string, docId: string): Promise<ExtractedDocument> {
    const bytes = await loadPdfBytes(file);
    const pdfjs = await loadPdfjs();
    const { value: read, warnings } = await captureWarnings(async () => {
      let doc: PdfjsDocument;
      try {
        doc = await pdfjs.getDocument({ ...PDFJS_DATA_OPTIONS, data: bytes }).promise;
      } catch (err) {
        throw libraryFailure(file, 'pdf.js', err);
      }
      try {
        const pages: PageText[] = [];
        const pageErrors: string[] = [];
        for (let i = 1; i <= doc.numPages; i++) {
          // A page that fails is reported and left empty: the rest of the document still counts.
          try {
            pages.push({ page: i, text: await pageText(doc, i) });
          } catch (err) {
            pageErrors.push(`page ${i} could not be read (pdf.js: ${err instanceof Error ? err.message : String(err)})`);
            pages.push({ page: i, text: '' });
          }
        }
        const noText = pages.length > 0 && pages.every((p) => p.text === '');
        const imagePages = noText ? await countImagePages(pdfjs, doc) : 0;
        return { pages, pageErrors, imagePages };
      } finally {
        await doc.destroy();
      }
    });
    return finishExtraction({
      file,
      docId,
      extractor: this.id,
      pages: read.pages,
      warnings: [...warnings, ...read.pageErrors],
      imagePages: read.imagePages,
    });
  }
}
