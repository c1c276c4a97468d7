/**
 * The robustness corpus (issue 11, "Bad input"): one PDF per way a real upload goes wrong or
 * stresses an extractor. The small files are committed under test/fixtures/robustness/;
 * rerun `npx tsx scripts/make-robustness-corpus.ts` after changing this file. Tests write two
 * kinds into a temp folder instead: the 3,000-page file, too big to commit (`writeLongPdf`),
 * and the AES-256 password pair, whose salts are random (`buildAesCorpus`). docs/robustness.md
 * says what each file must do.
 *
 * Deterministic: fixed dates (pdfkit's file ID hashes the info dict), RC4 encryption (pdfkit's
 * AES draws random salts and IVs) and uncompressed streams, so the bytes depend on pdfkit,
 * fontkit, MuPDF and the font files only, not on Node's zlib. Needs the fonts of Debian's
 * fonts-dejavu-core and fonts-droid-fallback (`npm run setup` installs them).
 */
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { finished } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import * as mupdf from 'mupdf';
import { BODY_FONT, FALLBACK_FONT, type FontFile } from './lib/golden-fonts.ts';
import { assemblePdf } from './lib/assemble-pdf.ts';
import { fixedInfo, renderPdf, type PdfDoc, type PdfOptions } from './lib/render-pdf.ts';

export const ROBUSTNESS_DIR = join(import.meta.dirname, '..', 'test', 'fixtures', 'robustness');


/** The fonts the corpus embeds: DejaVu Sans (Latin, ligatures, Arabic, Hebrew, emoji) and Droid Sans Fallback (CJK). */
export const CORPUS_FONTS: readonly FontFile[] = [BODY_FONT, FALLBACK_FONT];

/** Throws, naming the fix, when a font the corpus embeds is not installed. */
export function requireCorpusFonts(fonts: readonly FontFile[] = CORPUS_FONTS): void {
  const missing = fonts.filter((f) => !existsSync(f.path));
  if (missing.length === 0) return;
  const list = missing.map((f) => `${f.path} (Debian package ${f.debianPackage})`).join(', ');
  throw new Error(`robustness corpus: font not found: ${list}; run \`npm run setup\` to install it`);
}

/** What each text file of the corpus says, page by page: tests look for it in the extraction. */
export const TEXTS = {
  plain: 'The harbour report counts ships. Twelve ships came in before noon and nine left after dark.',
  encrypted: 'The vault report lists the codes that only the holder of the password may read.',
  ownerOnly: 'Anyone may open and read this report; its owner password only restricts printing and copying.',
  scannedCompanion: 'This page has a text layer; the next page is a scan without one.',
  /** Literal U+FB01 and U+FB02 characters: the font maps each to its ligature glyph. */
  ligatureChars: 'Literal ligature characters: \uFB01ve \uFB02at \uFB01elds \uFB02ank the \uFB01nal \uFB02ight.',
  /** Plain "fi" and "fl": the font's liga feature draws one glyph for each pair; ToUnicode maps it back. */
  ligatureShaped: 'Shaped ligatures: the fish in the flowing fjord find flies on the flat field.',
  /** Drawn with glyph names /fi and /fl of a standard Type 1 font and no ToUnicode (as TeX does). */
  ligatureGlyphNames: 'Glyph names: the first office flower field.',
  chinese: '北京是中华人民共和国的首都，也是全国的政治和文化中心。',
  japanese: '東京は日本の首都であり、世界で最も人口の多い都市圏です。',
  arabic: 'اللغة العربية تكتب من اليمين إلى اليسار',
  hebrew: 'העברית נכתבת מימין לשמאל',
  emoji: 'Coffee ☕ lightning ⚡ heart ❤ smile 😀 end of the emoji line.',
  noXref: 'This file has neither a cross-reference table nor a trailer; a reader must find the catalog itself.',
  brokenXref: 'Every offset in this cross-reference table is wrong, so a reader must rebuild it from the objects.',
} as const;

/** What the ligature texts say once each ligature is read as its letters. */
export const EXPANDED = {
  ligatureChars: 'Literal ligature characters: five flat fields flank the final flight.',
  ligatureShaped: TEXTS.ligatureShaped,
  ligatureGlyphNames: TEXTS.ligatureGlyphNames,
} as const;

export const LONG_PAGES = 3000;


function render(options: PdfOptions, draw: (doc: PdfDoc) => void): Promise<Buffer> {
  return renderPdf({ compress: false, ...options }, 'ragbench robustness corpus', draw);
}

/** One paragraph per page in Helvetica (WinAnsi text only). */
function plainPages(...pages: string[]): (doc: PdfDoc) => void {
  return (doc) => {
    for (const [i, text] of pages.entries()) {
      if (i > 0) doc.addPage();
      doc.font('Helvetica').fontSize(14).text(text, 72, 72, { width: 450 });
    }
  };
}

/**
 * Lines in an embedded TrueType font, each shaped as one run. Given `features`, pdfkit hands
 * fontkit the whole line, which shapes it (Arabic joining, ligatures) and puts a right-to-left
 * line in visual order; without them pdfkit shapes word by word and an RTL line comes out
 * with its words in left-to-right order. Each line must fit the page width.
 */
function fontLines(lines: readonly (readonly [FontFile, string, string])[]): (doc: PdfDoc) => void {
  return (doc) => {
    const registered = new Set<string>();
    for (const [i, [font, name, text]] of lines.entries()) {
      if (!registered.has(name)) doc.registerFont(name, font.path);
      registered.add(name);
      doc.font(name).fontSize(14).text(text, 54, 72 + i * 40, { lineBreak: false, features: [] });
    }
  };
}

function pngOfPage(pdf: Buffer, dpi: number): Buffer {
  const doc = mupdf.Document.openDocument(pdf, 'application/pdf');
  const page = doc.loadPage(0);
  const pixmap = page.toPixmap(mupdf.Matrix.scale(dpi / 72, dpi / 72), mupdf.ColorSpace.DeviceGray, false, true);
  const png = Buffer.from(pixmap.asPNG());
  pixmap.destroy();
  page.destroy();
  doc.destroy();
  return png;
}

/**
 * TEXTS.ligatureGlyphNames in Times-Roman whose encoding puts the glyphs /fi and /fl at codes
 * 1 and 2, with no ToUnicode map: an extractor must know the glyph names.
 */
function glyphNameLigaturePdf(): Buffer {
  const escape = (s: string): string => s.replace(/[()\\]/g, (c) => `\\${c}`);
  const shown = escape('Glyph names: the ') + '\\001rst o\\146\\001ce \\002ower \\001eld.';
  const content = `BT /F1 16 Tf 72 700 Td (${shown}) Tj ET`;
  return assemblePdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Times-Roman /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [1 /fi /fl] >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
  ]);
}

/** `pdf` with every in-use xref entry pointing 3 bytes past its object (same length, startxref intact). */
export function breakXrefTable(pdf: Buffer): Buffer {
  const text = pdf.toString('latin1');
  const start = text.lastIndexOf('\nxref\n');
  const end = text.indexOf('trailer', start);
  if (start < 0 || end < 0) throw new Error('breakXrefTable: no classic xref table');
  const shift = (_: string, off: string, gen: string): string => `${String(Number(off) + 3).padStart(10, '0')} ${gen} n`;
  const table = text.slice(start, end).replace(/^(\d{10}) (\d{5}) n/gm, shift);
  return Buffer.concat([pdf.subarray(0, start), Buffer.from(table, 'latin1'), pdf.subarray(end)]);
}

/** `pdf` without its xref table and trailer: only `startxref` (now pointing nowhere) and `%%EOF` are left. */
export function dropXrefAndTrailer(pdf: Buffer): Buffer {
  const text = pdf.toString('latin1');
  const start = text.lastIndexOf('\nxref\n');
  const end = text.lastIndexOf('startxref');
  if (start < 0 || end < start) throw new Error('dropXrefAndTrailer: no classic xref table');
  return Buffer.concat([pdf.subarray(0, start + 1), pdf.subarray(end)]);
}

/** Every file of the committed corpus by name. */
export async function buildCorpus(): Promise<Map<string, Buffer>> {
  requireCorpusFonts();
  const files = new Map<string, Buffer>();
  const plain = await render({}, plainPages(TEXTS.plain));
  files.set('empty.pdf', Buffer.alloc(0));
  files.set('not-a-pdf.pdf', Buffer.from('<!doctype html>\n<html><body><p>A web page saved under a .pdf name.</p></body></html>\n'));
  files.set('truncated.pdf', plain.subarray(0, Math.floor(plain.length / 2)));
  // RC4 128 (PDF 1.4): deterministic, and as much a password wall as AES for an extractor.
  files.set(
    'encrypted-user-password.pdf',
    await render({ pdfVersion: '1.4', userPassword: 'secret', ownerPassword: 'owner' }, plainPages(TEXTS.encrypted)),
  );
  files.set(
    'owner-password-only.pdf',
    await render(
      { pdfVersion: '1.4', ownerPassword: 'owner', permissions: { printing: 'lowResolution', copying: false, modifying: false, annotating: false } },
      plainPages(TEXTS.ownerOnly),
    ),
  );
  const png = pngOfPage(plain, 100);
  files.set('image-only.pdf', await render({}, (doc) => doc.image(png, 0, 0, { width: 612 })));
  files.set(
    'partly-scanned.pdf',
    await render({}, (doc) => {
      plainPages(TEXTS.scannedCompanion)(doc);
      doc.addPage().image(png, 0, 0, { width: 612 });
    }),
  );
  // Two registrations of one font: each gets its own ToUnicode map, so the ligature glyph can
  // mean U+FB01 in one and "fi" in the other.
  files.set(
    'ligatures.pdf',
    await render({}, fontLines([
      [BODY_FONT, 'ligature-chars', TEXTS.ligatureChars],
      [BODY_FONT, 'ligature-shaped', TEXTS.ligatureShaped],
    ])),
  );
  files.set('ligature-glyph-names.pdf', glyphNameLigaturePdf());
  files.set('cjk.pdf', await render({}, fontLines([[FALLBACK_FONT, 'cjk', TEXTS.chinese], [FALLBACK_FONT, 'cjk', TEXTS.japanese]])));
  files.set('rtl.pdf', await render({}, fontLines([[BODY_FONT, 'body', TEXTS.arabic], [BODY_FONT, 'body', TEXTS.hebrew]])));
  files.set('emoji.pdf', await render({}, fontLines([[BODY_FONT, 'body', TEXTS.emoji]])));
  files.set('broken-xref.pdf', breakXrefTable(await render({}, plainPages(TEXTS.brokenXref, TEXTS.plain))));
  files.set('no-xref-no-trailer.pdf', dropXrefAndTrailer(await render({}, plainPages(TEXTS.noXref))));
  return files;
}

/**
 * The two password cases again with AES-256 (MuPDF), the cipher current writers use. MuPDF
 * draws random salts and IVs, so these bytes differ every run: tests write them at test time.
 */
export async function buildAesCorpus(): Promise<Map<string, Buffer>> {
  const encrypt = async (text: string, options: string): Promise<Buffer> => {
    const doc = mupdf.Document.openDocument(await render({}, plainPages(text)), 'application/pdf');
    try {
      const pdf = doc.asPDF();
      if (!pdf) throw new Error('buildAesCorpus: MuPDF did not open a PDF');
      return Buffer.from(pdf.saveToBuffer(options).asUint8Array());
    } finally {
      doc.destroy();
    }
  };
  // permissions=-64: printing, changing, copying and annotating denied (bits 3-6 clear).
  return new Map([
    ['encrypted-user-password-aes256.pdf', await encrypt(TEXTS.encrypted, 'encrypt=aes-256,user-password=secret,owner-password=owner')],
    ['owner-password-only-aes256.pdf', await encrypt(TEXTS.ownerOnly, 'encrypt=aes-256,owner-password=owner,permissions=-64')],
  ]);
}

/** Writes the committed corpus into `dir`; returns the file names. */
export async function writeCorpus(dir = ROBUSTNESS_DIR): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const files = await buildCorpus();
  for (const [name, bytes] of files) writeFileSync(join(dir, name), bytes);
  return [...files.keys()];
}

/** The text of page `n` (1-based) of the long file: the page number is in it, so a test can find each page. */
export function longPageText(n: number): string {
  return (
    `Long document page ${n}. ` +
    'This page is one of three thousand that test whether an extractor reads a very long file within bounded time and memory. '.repeat(4) +
    `End of page ${n}.`
  );
}

/** Writes a `pages`-page PDF to `file`, streaming, so that generating it stays light too. */
export async function writeLongPdf(file: string, pages = LONG_PAGES): Promise<void> {
  const doc = new PDFDocument({ info: fixedInfo('ragbench robustness corpus'), autoFirstPage: false });
  const out = createWriteStream(file);
  doc.pipe(out);
  for (let n = 1; n <= pages; n++) doc.addPage().font('Helvetica').fontSize(12).text(longPageText(n), 72, 72, { width: 468 });
  doc.end();
  await finished(out);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const names = await writeCorpus();
  process.stdout.write(`wrote ${names.length} files to ${ROBUSTNESS_DIR}\n`);
}
