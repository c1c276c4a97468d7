/**
 * Checks a golden set against its own PDFs as MuPDF reads them: every evidence passage lies on
 * the pages it names (and needs both its first and its last page), every answer is in its
 * evidence. Shared by the tests of the bundled sets.
 */
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import * as mupdf from 'mupdf';
import { appears } from '../../src/text/normalize.ts';
import type { GoldenSet } from '../../src/evaluate/golden.ts';

/** Page texts (index 0 = page 1) of every document of the set. */
export async function readPages(set: GoldenSet): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const d of set.documents) {
    const doc = mupdf.Document.openDocument(await readFile(d.file), 'application/pdf');
    const pages: string[] = [];
    for (let i = 0; i < doc.countPages(); i++) {
      const page = doc.loadPage(i);
      pages.push(page.toStructuredText('').asText());
      page.destroy();
    }
    doc.destroy();
    out.set(d.id, pages);
  }
  return out;
}

const RTL_RUN = /[\p{Script=Arabic}\p{Script=Hebrew}][\p{Script=Arabic}\p{Script=Hebrew}\s]*/gu;

/**
 * The parts of a passage an extractor returns in source order. Right-to-left runs are left out:
 * extractors return Arabic in visual order or with ligatures reversed (see golden/README.md).
 */
export function checkableParts(text: string): string[] {
  return text
    .split(RTL_RUN)
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
}

function onPages(text: string, pages: readonly string[], from: number, to: number): boolean {
  const haystack = pages.slice(from - 1, to).join('\n');
  return checkableParts(text).every((part) => appears(part, haystack));
}

export interface EvidenceProblem {
  question: string;
  doc: string;
  page: number;
  pageEnd: number;
  problem: string;
}

/** Problems with the evidence page ranges; each distinct passage is checked once. */
export function evidenceProblems(set: GoldenSet, pagesByDoc: ReadonlyMap<string, readonly string[]>): EvidenceProblem[] {
  const problems: EvidenceProblem[] = [];
  const checked = new Set<string>();
  for (const q of set.questions) {
    for (const e of q.evidence) {
      const key = JSON.stringify([e.doc, e.page, e.pageEnd, e.text]);
      if (checked.has(key)) continue;
      checked.add(key);
      const pages = pagesByDoc.get(e.doc) ?? [];
      const report = (problem: string): void => {
        problems.push({ question: q.id, doc: e.doc, page: e.page, pageEnd: e.pageEnd, problem });
      };
      if (!onPages(e.text, pages, e.page, e.pageEnd)) report('not on its page range');
      else if (e.pageEnd > e.page) {
        if (onPages(e.text, pages, e.page, e.pageEnd - 1)) report('ends before pageEnd');
        if (onPages(e.text, pages, e.page + 1, e.pageEnd)) report('starts after page');
      }
    }
  }
  return problems;
}

/** Answers that are not in (any of) their question's evidence passages. */
export function answersOutsideEvidence(set: GoldenSet): string[] {
  const out: string[] = [];
  for (const q of set.questions) {
    for (const a of q.answers) {
      if (!q.evidence.some((e) => appears(a, e.text))) out.push(`${q.id}: "${a}"`);
    }
  }
  return out;
}

/** Runs a generator script (under tsx, as `npm run golden:squad` does) and returns its stdout. */
export function runGenerator(script: string, args: readonly string[]): string {
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  return execFileSync(process.execPath, [tsx, script, ...args], { encoding: 'utf8' });
}

/** Files of a set folder (manifest, questions, PDFs) whose bytes differ between two folders. */
export async function differingFiles(a: string, b: string): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(a, 'manifest.json'), 'utf8')) as { documents: { file: string }[] };
  const files = ['manifest.json', 'questions.jsonl', ...manifest.documents.map((d) => d.file)];
  const out: string[] = [];
  for (const f of files) {
    const [x, y] = await Promise.all([readFile(join(a, f)), readFile(join(b, f)).catch(() => Buffer.alloc(0))]);
    if (!x.equals(y)) out.push(f);
  }
  return out;
}
