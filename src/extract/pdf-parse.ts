import { captureWarnings, countImagePages, loadPdfjs, PDFJS_DATA_OPTIONS } from './pdfjs-env.ts';
import type { ExtractedDocument, Extractor, PageText } from './types.ts';
import { finishExtraction, libraryFailure, loadPdfBytes } from './validate.ts';

type PdfParseModule = typeof import('pdf-parse');
let pdfParseModule: Promise<PdfParseModule> | undefined;

/** pdf-parse 2 (on the same pdf.js as the pdfjs extractor): plain page text, no layout. */
export class PdfParseExtractor implements Extractor {
  readonly id = 'pdf-parse';

  async extract(file: string, docId: string): Promise<ExtractedDocument> {
    const bytes = await loadPdfBytes(file);
    pdfParseModule ??= import('pdf-parse');
    const { PDFParse } = await pdfParseModule;
    const { value: read, warnings } = await captureWarnings(async () => {
      // pdf.js may detach the buffer it is given; the image probe below needs its own copy.
      const parser = new PDFParse({ ...PDFJS_DATA_OPTIONS, data: bytes.slice() });
      let pages: PageText[];
      try {
        const result = await parser.getText();
        pages = result.pages.map((p) => ({ page: p.num, text: p.text.trim() }));
      } catch (err) {
        throw libraryFailure(file, 'pdf-parse', err);
      } finally {
        await parser.destroy();
      }
      // Only when no page has text: tell a scan from blank pages (pdf-parse has no cheap way to ask).
      let imagePages = 0;
      if (pages.length > 0 && pages.every((p) => p.text === '')) {
        const pdfjs = await loadPdfjs();
        const doc = await pdfjs.getDocument({ ...PDFJS_DATA_OPTIONS, data: bytes }).promise;
        imagePages = await countImagePages(pdfjs, doc);
        await doc.destroy();
      }
      return { pages, imagePages };
    });
    return finishExtraction({ file, docId, extractor: this.id, pages: read.pages, warnings, imagePages: read.imagePages });
  }
}
