/**
 * Writes the extraction fixtures under test/fixtures/bad-pdfs/ (committed output; rerun with
 * `npx tsx scripts/make-bad-pdfs.ts` after changing this file). Each bad file is bad in one
 * specific way that the extract stage must name; good.pdf and the layout files are the controls.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import PDFDocument from 'pdfkit';
import * as mupdf from 'mupdf';
import { assemblePdf } from './lib/assemble-pdf.ts';
import { renderPdf, type PdfDoc, type PdfOptions } from './lib/render-pdf.ts';

const OUT = join(import.meta.dirname, '..', 'test', 'fixtures', 'bad-pdfs');


export const GOOD_PAGES = [
  'Page one is about apples. Orchards in the valley grow seven kinds of apple trees.',
  'Page two is about bridges. The old stone bridge crosses the river at its narrowest point.',
  'Page three is about comets. A comet shows its tail only when it comes close to the sun.',
];


function render(options: PdfOptions, draw: (doc: PdfDoc) => void): Promise<Buffer> {
  return renderPdf(options, 'ragbench fixtures', draw);
}

function textPages(doc: PdfDoc, pages: readonly string[]): void {
  for (const [i, text] of pages.entries()) {
    if (i > 0) doc.addPage();
    if (text) doc.fontSize(14).text(text, 72, 72, { width: 450 });
  }
}

/** Page 1 of `pdf` rendered as a PNG: the picture a scanner would give. */
function renderPng(pdf: Buffer, dpi: number): Uint8Array {
  const doc = mupdf.Document.openDocument(pdf, 'application/pdf');
  const page = doc.loadPage(0);
  const scale = dpi / 72;
  const pixmap = page.toPixmap(mupdf.Matrix.scale(scale, scale), mupdf.ColorSpace.DeviceGray, false, true);
  const png = pixmap.asPNG();
  pixmap.destroy();
  page.destroy();
  doc.destroy();
  return png;
}

/** A syntactically complete PDF whose page tree is empty (pdfkit always adds a page). */
function zeroPagePdf(): Buffer {
  return assemblePdf(['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [] /Count 0 >>']);
}

const TWO_COLUMN_TEXT = Array.from(
  { length: 14 },
  (_, i) =>
    `Paragraph ${i + 1} of the two column sample. Readers follow the left column to its foot before the right one begins, so the extractor must keep each column whole.`,
).join('\n\n');

export const LEFT_COLUMN =
  'The left column tells one story from its first line to its last line. A reader who follows it down the page never sees the right column until the left one ends. ';
export const RIGHT_COLUMN =
  'Meanwhile the right column holds a second story. It must come after the whole left column in any faithful reading of this page. ';

/**
 * Two columns drawn line by line across the page (left line 1, right line 1, left line 2, ...),
 * as some generators do: content order is not reading order.
 */
function drawInterleavedColumns(doc: PdfDoc): void {
  doc.fontSize(10);
  const columnWidth = 230;
  const wrap = (text: string): string[] => {
    const lines: string[] = [];
    let current = '';
    for (const word of text.trim().split(' ')) {
      const candidate = current ? `${current} ${word}` : word;
      if (doc.widthOfString(candidate) > columnWidth && current) {
        lines.push(current);
        current = word;
      } else current = candidate;
    }
    lines.push(current);
    return lines;
  };
  const left = wrap(LEFT_COLUMN.repeat(4));
  const right = wrap(RIGHT_COLUMN.repeat(4));
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    const y = 72 + i * 13;
    if (left[i]) doc.text(left[i] as string, 54, y, { lineBreak: false });
    if (right[i]) doc.text(right[i] as string, 318, y, { lineBreak: false });
  }
}

/** `pdf` with the compressed content stream of its second page garbled (lengths unchanged). */
function garbleSecondStream(pdf: Buffer): Buffer {
  const out = Buffer.from(pdf);
  const text = pdf.toString('latin1');
  const starts = [...text.matchAll(/(?<!end)stream\n/g)].map((m) => m.index);
  const at = starts[1] as number;
  const start = at + 'stream\n'.length + 2; // keep the zlib header: the damage is in the data
  for (let i = start; i < start + 58; i++) out[i] = ((out[i] as number) * 7 + 13) & 0xff;
  return out;
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const write = (name: string, data: Uint8Array | string): void => writeFileSync(join(OUT, name), data);

  const good = await render({}, (doc) => textPages(doc, GOOD_PAGES));
  write('good.pdf', good);
  write('partly-blank.pdf', await render({}, (doc) => textPages(doc, [GOOD_PAGES[0] as string, '', GOOD_PAGES[2] as string])));
  write(
    'two-column.pdf',
    await render({}, (doc) => doc.fontSize(10).text(TWO_COLUMN_TEXT, 54, 72, { columns: 2, columnGap: 24, width: 504, height: 640 })),
  );

  write('interleaved-columns.pdf', await render({}, drawInterleavedColumns));

  // A wrong startxref offset (the end marker intact): every library repairs it, with warnings.
  const xref = good.lastIndexOf('startxref');
  const damaged = Buffer.from(good);
  damaged.write('9', xref + 'startxref\n'.length, 'latin1');
  write('damaged-xref.pdf', damaged);

  write('broken-page.pdf', garbleSecondStream(good));

  write('empty.pdf', '');
  write('truncated.pdf', good.subarray(0, Math.floor(good.length / 2)));
  write('encrypted.pdf', await render({ userPassword: 'secret', ownerPassword: 'owner' }, (doc) => textPages(doc, GOOD_PAGES)));
  const scanPng = renderPng(good, 100);
  write('image-only.pdf', await render({}, (doc) => doc.image(Buffer.from(scanPng), 0, 0, { width: 612 })));
  write('not-a-pdf.pdf', scanPng);
  write('blank-page.pdf', await render({}, () => undefined));
  write('zero-pages.pdf', zeroPagePdf());
}

// Tests and the bench import the texts above; only running the script writes files.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
