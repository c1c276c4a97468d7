/**
 * Reference documents: a PDF, the text it was made from, and which pages hold which part of it.
 *
 * - An R manual (Debian's r-doc-pdf and r-doc-html, one Texinfo source): the HTML edition's
 *   text (./texinfo-html.ts) cut into chapters, each matched to the PDF pages from its outline
 *   entry (texi2pdf names each destination after the Texinfo node, the HTML ids are the same
 *   names escaped) to the next chapter's first page. Chapters start on a new page, so the match
 *   is exact and the same for every extractor. The pages before the first chapter (title,
 *   copyright, contents) and the index chapters are scored on neither side.
 * - A bundled golden PDF: its article title and paragraphs. The SQuAD source file is not in the
 *   repository; the paragraphs are the evidence texts of its questions, which cover all 481
 *   paragraphs the generator laid out (every paragraph has an answerable question), put in page
 *   order.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadGoldenSet } from '../../evaluate/golden.ts';
import { InputError } from '../../util/errors.ts';
import { normalizeForScoring } from './page-text.ts';
import { readPdfStructure, type OutlineEntry } from './pdf-structure.ts';
import { nodeKey, parseTexinfoHtml, type TexinfoNode } from './texinfo-html.ts';

export interface ReferenceSection {
  /** Normalised text that starts this section in the PDF (a heading, or a paragraph's first words); '' for none. */
  anchor: string;
  /** Normalised reference text. */
  text: string;
  /** Normalised footnotes the section cites: scored wherever the PDF prints them (./align.ts). */
  footnotes: string[];
}

export interface ReferencePart {
  title: string;
  /** 1-based, inclusive. */
  firstPage: number;
  lastPage: number;
  sections: ReferenceSection[];
}

export interface ReferenceDocument {
  name: string;
  source: 'r-manual' | 'golden';
  pdf: string;
  pageCount: number;
  parts: ReferencePart[];
  /** Raw running header and footer lines per page (index = page − 1). */
  runningLines: string[][];
}

/** The R manuals Debian ships in both editions (r-doc-pdf, r-doc-html). */
export const R_MANUALS = ['R-FAQ', 'R-intro', 'R-data', 'R-admin', 'R-lang', 'R-ints', 'R-exts'] as const;
export const DEBIAN_MANUAL_DIR = '/usr/share/R/doc/manual';
export const SETUP_HINT = 'install the Debian packages r-doc-pdf and r-doc-html (`npm run setup`, or `sudo apt-get install r-doc-pdf r-doc-html`)';

function requireFile(file: string, what: string): void {
  if (!existsSync(file)) throw new InputError(`${file}: ${what} not found; ${SETUP_HINT}`);
}

function section(node: TexinfoNode): ReferenceSection {
  return { anchor: normalizeForScoring(node.heading), text: normalizeForScoring(node.text), footnotes: node.footnotes.map(normalizeForScoring) };
}

/** Groups the HTML nodes into chapters matched to outline entries, with their page ranges. */
export function matchChapters(
  nodes: readonly TexinfoNode[],
  outline: readonly OutlineEntry[],
  indexIds: readonly string[],
  pageCount: number,
): ReferencePart[] {
  const indexKeys = new Set(indexIds.map(nodeKey));
  const nodeKeys = new Set(nodes.map((n) => nodeKey(n.id)));
  // Boundaries: chapters the HTML has, and index chapters (whose pages are dropped).
  const boundaries = outline.filter((o) => nodeKeys.has(nodeKey(o.dest)) || indexKeys.has(nodeKey(o.dest)));
  const parts: ReferencePart[] = [];
  const partOf = new Map<string, ReferencePart>();
  boundaries.forEach((entry, i) => {
    if (indexKeys.has(nodeKey(entry.dest))) return;
    const next = boundaries.slice(i + 1).find((b) => b.page > entry.page);
    const lastPage = next ? next.page - 1 : pageCount;
    const previous = parts.at(-1);
    // Two chapters on one page (never seen in the R manuals) are scored as one part.
    if (previous && entry.page <= previous.lastPage) {
      previous.lastPage = Math.max(previous.lastPage, lastPage);
      partOf.set(nodeKey(entry.dest), previous);
      return;
    }
    const part: ReferencePart = { title: entry.title, firstPage: entry.page, lastPage, sections: [] };
    parts.push(part);
    partOf.set(nodeKey(entry.dest), part);
  });
  let current: ReferencePart | undefined;
  for (const node of nodes) {
    current = partOf.get(nodeKey(node.id)) ?? current ?? parts[0];
    current?.sections.push(section(node));
  }
  return parts.filter((p) => p.sections.length > 0);
}

/** One R manual from a folder holding `<name>.pdf` and `<name>.html`. */
export async function rManualReference(dir: string, name: string): Promise<ReferenceDocument> {
  const pdf = join(dir, `${name}.pdf`);
  const html = join(dir, `${name}.html`);
  requireFile(pdf, 'the PDF edition of the R manual (Debian package r-doc-pdf)');
  requireFile(html, 'the HTML edition of the R manual (Debian package r-doc-html)');
  const manual = parseTexinfoHtml(await readFile(html, 'utf8'));
  const structure = await readPdfStructure(pdf);
  const parts = matchChapters(manual.nodes, structure.outline, manual.indexIds, structure.pageCount);
  if (parts.length === 0) {
    throw new InputError(`${html} and ${pdf}: no chapter of the HTML edition matches the PDF's outline; they must be editions of the same manual`);
  }
  return { name, source: 'r-manual', pdf, pageCount: structure.pageCount, parts, runningLines: structure.runningLines };
}

/** All the reference text of a document, footnotes included, joined by spaces. */
export function referenceText(ref: ReferenceDocument): string {
  return ref.parts.flatMap((p) => p.sections.flatMap((s) => [s.text, ...s.footnotes])).join(' ');
}

/** Words of a paragraph's opening used to find where it starts in the extracted text. */
const ANCHOR_WORDS = 8;

export function firstWords(text: string, n = ANCHOR_WORDS): string {
  return text.split(' ').slice(0, n).join(' ');
}

/** The bundled golden set's PDFs with the text they were typeset from (the set is checked whole first). */
export async function goldenReferences(dir: string): Promise<ReferenceDocument[]> {
  const set = await loadGoldenSet(dir);
  // Paragraphs in page order; on one page, in the order questions first cite them (the generator's order).
  const cited = new Map<string, Map<string, number>>();
  for (const q of set.questions) {
    for (const e of q.evidence) {
      const list = cited.get(e.doc) ?? new Map<string, number>();
      if (!list.has(e.text)) list.set(e.text, e.page);
      cited.set(e.doc, list);
    }
  }
  const paragraphs = new Map<string, string[]>();
  for (const [doc, list] of cited) paragraphs.set(doc, [...list].sort((a, b) => a[1] - b[1]).map(([text]) => text));
  const questionsFile = join(set.dir, 'questions.jsonl');
  const refs: ReferenceDocument[] = [];
  for (const d of set.documents) {
    const pdf = d.file;
    if (d.unreadable) throw new InputError(`${pdf}: golden document "${d.id}" cannot be read: ${d.unreadable}`);
    const texts = paragraphs.get(d.id);
    if (!texts) throw new InputError(`${questionsFile}: no evidence text for document "${d.id}", so its source text is unknown`);
    const structure = await readPdfStructure(pdf);
    const title = normalizeForScoring(d.id.replaceAll('_', ' '));
    const sections: ReferenceSection[] = [{ anchor: '', text: title, footnotes: [] }];
    for (const t of texts) {
      const text = normalizeForScoring(t);
      sections.push({ anchor: firstWords(text), text, footnotes: [] });
    }
    refs.push({
      name: d.id,
      source: 'golden',
      pdf,
      pageCount: structure.pageCount,
      parts: [{ title, firstPage: 1, lastPage: structure.pageCount, sections }],
      runningLines: structure.runningLines,
    });
  }
  return refs;
}
