import { loadMupdf, openPdf, withMupdfLog, type MupdfDocument } from './mupdf-env.ts';
import type { ExtractedDocument, Extractor, PageText } from './types.ts';
import { finishExtraction, loadPdfBytes } from './validate.ts';

/** How many pages to look at for images when a document has no text at all. */
const IMAGE_PROBE_PAGES = 20;

function pageHasImage(doc: MupdfDocument, index: number): boolean {
  const page = doc.loadPage(index);
  const stext = page.toStructuredText('preserve-images');
  let found = false;
  stext.walk({ onImageBlock: () => (found = true) });
  stext.destroy();
  page.destroy();
  return found;
}

/** MuPDF.js structured text: text blocks in content order, blank lines between blocks. */
export class MupdfExtractor implements Extractor {
  readonly id = 'mupdf';

  async extract(file: string, docId: string): Promise<ExtractedDocument> {
    const bytes = await loadPdfBytes(file);
    const mupdf = await loadMupdf();
    const { value: read, log } = withMupdfLog((log) => {
      const warnings: string[] = [];
      const doc = openPdf(mupdf, file, bytes, log);
      try {
        const pages: PageText[] = [];
        const count = doc.countPages();
        for (let i = 0; i < count; i++) {
          // A page that fails is reported and left empty: the rest of the document still counts.
          try {
            const page = doc.loadPage(i);
            const stext = page.toStructuredText('');
            pages.push({ page: i + 1, text: stext.asText().trim() });
            stext.destroy();
            page.destroy();
          } catch (err) {
            warnings.push(`page ${i + 1} could not be read (mupdf: ${err instanceof Error ? err.message : String(err)})`);
            pages.push({ page: i + 1, text: '' });
          }
        }
        if (doc.asPDF()?.wasRepaired()) warnings.push('mupdf: the file was damaged and has been repaired; its text may be incomplete');
        let imagePages = 0;
        if (count > 0 && pages.every((p) => p.text === '')) {
          for (let i = 0; i < Math.min(count, IMAGE_PROBE_PAGES); i++) if (pageHasImage(doc, i)) imagePages++;
        }
        return { pages, warnings, imagePages };
      } finally {
        doc.destroy();
      }
    });
    return finishExtraction({
      file,
      docId,
      extractor: this.id,
      pages: read.pages,
      warnings: [...log, ...read.warnings],
      imagePages: read.imagePages,
    });
  }
}
