/**
 * Writes a golden set folder (format ragbench-golden/1, see golden/README.md): one PDF per
 * document, manifest.json with sha256 and page counts, questions.jsonl whose evidence page
 * ranges come from where the PDF writer actually put each paragraph.
 */
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stripInvisible } from './golden-layout.ts';
import { writeGoldenPdf, type PdfMetadata, type ParagraphPages } from './write-golden-pdf.ts';

export interface SourceDocument {
  /** Document id; also the PDF's file name, so letters, digits, '_', '-' and '.' only. */
  id: string;
  title: string;
  paragraphs: readonly string[];
}

export interface SourceQuestion {
  id: string;
  question: string;
  /** Acceptable short answers; empty for an unanswerable question. */
  answers: readonly string[];
  /** Where the answer is written: a paragraph (0-based) of a document. Empty when unanswerable. */
  evidence: readonly { doc: string; paragraph: number }[];
}

export interface GoldenSetSpec {
  dir: string;
  name: string;
  source: string;
  license: string;
  documents: readonly SourceDocument[];
  questions: readonly SourceQuestion[];
  pdf: Omit<PdfMetadata, 'subject'>;
}

export interface WrittenSet {
  documents: { id: string; pages: number; bytes: number }[];
  questions: number;
  answerable: number;
  /** Paragraphs that start on one page and end on a later one. */
  paragraphsAcrossPages: number;
  /** Evidence passages (of all questions) that start on one page and end on a later one. */
  evidenceAcrossPages: number;
}

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

export async function writeGoldenSet(spec: GoldenSetSpec): Promise<WrittenSet> {
  const docsDir = join(spec.dir, 'docs');
  await rm(docsDir, { recursive: true, force: true });
  await mkdir(docsDir, { recursive: true });

  const manifestDocs: { id: string; file: string; sha256: string; pages: number }[] = [];
  const placements = new Map<string, { paragraphs: readonly string[]; pages: ParagraphPages[] }>();
  const written: WrittenSet['documents'] = [];
  let acrossPages = 0;
  for (const d of spec.documents) {
    if (!SAFE_ID.test(d.id)) throw new Error(`document id "${d.id}" is not safe as a file name`);
    if (placements.has(d.id)) throw new Error(`duplicate document id "${d.id}"`);
    const paragraphs = d.paragraphs.map(stripInvisible);
    const pdf = await writeGoldenPdf({ title: d.title, paragraphs }, { ...spec.pdf, subject: `${spec.name}: ${d.id}` });
    const file = `docs/${d.id}.pdf`;
    await writeFile(join(spec.dir, file), pdf.bytes);
    manifestDocs.push({ id: d.id, file, sha256: createHash('sha256').update(pdf.bytes).digest('hex'), pages: pdf.pages });
    placements.set(d.id, { paragraphs, pages: pdf.paragraphs });
    written.push({ id: d.id, pages: pdf.pages, bytes: pdf.bytes.length });
    acrossPages += pdf.paragraphs.filter((p) => p.pageEnd > p.page).length;
  }

  let evidenceAcrossPages = 0;
  const lines = spec.questions.map((q) => {
    if ((q.answers.length > 0) !== (q.evidence.length > 0)) {
      throw new Error(`question ${q.id}: answers and evidence must both be given (answerable) or both be empty`);
    }
    const evidence = q.evidence.map((e) => {
      const placed = placements.get(e.doc);
      const text = placed?.paragraphs[e.paragraph];
      const pages = placed?.pages[e.paragraph];
      if (text === undefined || pages === undefined) throw new Error(`question ${q.id}: no paragraph ${e.paragraph} in document "${e.doc}"`);
      if (pages.pageEnd > pages.page) evidenceAcrossPages++;
      return { doc: e.doc, page: pages.page, pageEnd: pages.pageEnd, text };
    });
    const answers = [...new Set(q.answers.map(stripInvisible))];
    return JSON.stringify({ id: q.id, question: q.question, answerable: evidence.length > 0, answers, evidence });
  });

  const manifest = { format: 'ragbench-golden/1', name: spec.name, source: spec.source, license: spec.license, documents: manifestDocs };
  await writeFile(join(spec.dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(spec.dir, 'questions.jsonl'), `${lines.join('\n')}\n`);
  return {
    documents: written,
    questions: spec.questions.length,
    answerable: spec.questions.filter((q) => q.evidence.length > 0).length,
    paragraphsAcrossPages: acrossPages,
    evidenceAcrossPages,
  };
}
