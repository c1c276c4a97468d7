/**
 * Writes one golden-set document as a real PDF (pdfkit, embedded TrueType fonts) and reports
 * the 1-based page range on which each paragraph was laid out. Shared by every golden-set
 * generator. Output is deterministic: fixed metadata and dates, our own line breaking.
 */
import PDFDocument from 'pdfkit';
import { BODY_FONT, FALLBACK_FONT, HEADING_FONT, type FontFile } from './golden-fonts.ts';
import { layoutLines, type Run } from './golden-layout.ts';

export interface PdfArticle {
  /** Shown as the heading on page 1. */
  title: string;
  paragraphs: readonly string[];
}

export interface PdfMetadata {
  author: string;
  subject: string;
  /** Which script made it (the PDF's Creator). */
  creator: string;
  /** Fixed so that regenerating gives the same bytes. */
  date: Date;
}

export interface ParagraphPages {
  page: number;
  pageEnd: number;
}

export interface WrittenPdf {
  bytes: Buffer;
  pages: number;
  /** One entry per input paragraph, same order. */
  paragraphs: ParagraphPages[];
}

/** US Letter, 1-inch margins, 11 pt body text: an ordinary document page. */
export const PAGE_LAYOUT = {
  size: 'LETTER',
  width: 612,
  height: 792,
  margin: 72,
  bodySize: 11,
  bodyLeading: 14.5,
  paragraphGap: 7,
  headingSize: 18,
  headingLeading: 24,
  afterHeading: 12,
} as const;

const BODY_FONTS: readonly FontFile[] = [BODY_FONT, FALLBACK_FONT];
const HEADING_FONTS: readonly FontFile[] = [HEADING_FONT, FALLBACK_FONT];

export async function writeGoldenPdf(article: PdfArticle, meta: PdfMetadata): Promise<WrittenPdf> {
  const L = PAGE_LAYOUT;
  const doc = new PDFDocument({
    size: L.size,
    margin: L.margin,
    lang: 'en',
    displayTitle: true,
    info: {
      Title: article.title,
      Author: meta.author,
      Subject: meta.subject,
      Creator: meta.creator,
      Producer: 'PDFKit',
      CreationDate: meta.date,
      ModDate: meta.date,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const finished = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  for (const f of [BODY_FONT, HEADING_FONT, FALLBACK_FONT]) doc.registerFont(f.name, f.path);

  // Any `features` value makes pdfkit shape the whole run at once; without it pdfkit shapes
  // word by word, which reverses the order of the words of a right-to-left phrase.
  const shaping = { features: [] as PDFKit.Mixins.OpenTypeFeatures[] };
  const measureAt = (size: number) => (run: Run): number =>
    doc.font(run.font.name).fontSize(size).widthOfString(run.text, shaping);
  const top = L.margin;
  const bottom = L.height - L.margin;
  const width = L.width - 2 * L.margin;
  let page = 1;
  let y = top;

  /** Draws lines from y on; returns the pages of the first and last line. */
  const drawLines = (lines: Run[][], size: number, leading: number): ParagraphPages => {
    let first = 0;
    for (const line of lines) {
      if (y + leading > bottom) {
        doc.addPage();
        page++;
        y = top;
      }
      if (first === 0) first = page;
      let x = L.margin;
      // The first line's baseline sits one ascent below the top, as in any text layout.
      const baseline = y + size * 0.93;
      for (const run of line) {
        doc.font(run.font.name).fontSize(size).text(run.text, x, baseline, { ...shaping, lineBreak: false, baseline: 'alphabetic' });
        x += doc.widthOfString(run.text, shaping);
      }
      y += leading;
    }
    return { page: first, pageEnd: page };
  };

  const where = (i: number): string => (i < 0 ? `${article.title}: title` : `${article.title}: paragraph ${i + 1}`);
  drawLines(layoutLines(article.title, HEADING_FONTS, width, measureAt(L.headingSize), where(-1)), L.headingSize, L.headingLeading);
  y += L.afterHeading;

  const paragraphs = article.paragraphs.map((text, i) => {
    const lines = layoutLines(text, BODY_FONTS, width, measureAt(L.bodySize), where(i));
    if (lines.length === 0) throw new Error(`${where(i)}: empty paragraph`);
    const placed = drawLines(lines, L.bodySize, L.bodyLeading);
    y += L.paragraphGap;
    return placed;
  });

  doc.end();
  await finished;
  return { bytes: Buffer.concat(chunks), pages: page, paragraphs };
}
