/**
 * Loads a golden set folder (manifest.json, docs/*.pdf, questions.jsonl; golden/README.md) and
 * checks it whole before anything runs on it: schemas, sha256 and page count of every PDF,
 * unique ids, evidence that names a listed document and pages that document has. Every
 * problem is an InputError naming the file, the line and the field.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { ExtractionError } from '../extract/types.ts';
import { describeZodIssues, InputError } from '../util/errors.ts';
import { countPdfPages } from './golden-pdf.ts';
import {
  goldenErrorMap,
  manifestSchema,
  questionSchema,
  type GoldenManifest,
  type GoldenQuestion,
} from './golden-schema.ts';

export type { GoldenEvidence, GoldenManifest, GoldenQuestion } from './golden-schema.ts';

export interface GoldenDocument {
  id: string;
  /** Absolute path of the PDF. */
  file: string;
  sha256: string;
  pages: number;
  /**
   * Why the PDF cannot be read (corrupt, encrypted, not a PDF), when it cannot. The set still
   * loads: a bad PDF in a corpus is reported at ingest and the rest is evaluated.
   */
  unreadable?: string;
}

export interface GoldenSet {
  /** Absolute path of the set folder. */
  dir: string;
  manifest: GoldenManifest;
  documents: GoldenDocument[];
  questions: GoldenQuestion[];
}

/** More problems than this are summarised, not listed. */
const MAX_LISTED = 20;

export async function loadGoldenSet(dir: string): Promise<GoldenSet> {
  const root = resolve(dir);
  const manifestFile = join(root, 'manifest.json');
  const manifest = parseManifest(manifestFile, await readText(manifestFile));
  const documents = await checkDocuments(root, manifestFile, manifest);
  const questionsFile = join(root, 'questions.jsonl');
  const questions = parseQuestions(questionsFile, await readText(questionsFile), documents);
  return { dir: root, manifest, documents, questions };
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: cannot read: ${readFailure(err)}`);
  }
}

function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'file not found';
  if (code === 'EISDIR') return 'is a directory';
  return err instanceof Error ? err.message : String(err);
}

function parseJson(where: string, source: string): unknown {
  try {
    return JSON.parse(source);
  } catch (err) {
    throw new InputError(`${where}: invalid JSON: ${(err as Error).message}`);
  }
}

function parseManifest(file: string, source: string): GoldenManifest {
  const parsed = manifestSchema.safeParse(parseJson(file, source), { error: goldenErrorMap });
  if (!parsed.success) throw new InputError(describeZodIssues(file, parsed.error.issues));
  const problems: string[] = [];
  const ids = new Map<string, number>();
  const files = new Map<string, number>();
  parsed.data.documents.forEach((d, i) => {
    const firstId = ids.get(d.id);
    if (firstId !== undefined) problems.push(`${file}: documents.${i}.id: duplicate document id "${d.id}" (also documents.${firstId}.id)`);
    else ids.set(d.id, i);
    if (!isInside(d.file)) problems.push(`${file}: documents.${i}.file: "${d.file}" must be a relative path inside the set folder`);
    const key = normalize(d.file);
    const firstFile = files.get(key);
    if (firstFile !== undefined) problems.push(`${file}: documents.${i}.file: "${d.file}" is also documents.${firstFile}.file`);
    else files.set(key, i);
  });
  if (problems.length > 0) throw new InputError(problems.join('\n'));
  return parsed.data;
}

function isInside(relative: string): boolean {
  const n = normalize(relative);
  return !isAbsolute(relative) && n !== '..' && !n.startsWith(`..${sep}`) && !n.startsWith('../');
}

async function checkDocuments(root: string, manifestFile: string, manifest: GoldenManifest): Promise<GoldenDocument[]> {
  const documents: GoldenDocument[] = [];
  for (const [i, d] of manifest.documents.entries()) {
    const file = join(root, d.file);
    const listed = `listed in ${manifestFile} documents.${i}.file`;
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (err) {
      throw new InputError(`${file}: cannot read (${listed}): ${readFailure(err)}`);
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    if (sha256 !== d.sha256) {
      throw new InputError(`${file}: sha256 mismatch: the file's is ${sha256}, ${manifestFile} documents.${i}.sha256 says ${d.sha256}`);
    }
    let pages: number;
    try {
      pages = await countPdfPages(file, bytes);
    } catch (err) {
      if (!(err instanceof ExtractionError)) throw err;
      documents.push({ id: d.id, file, sha256, pages: d.pages, unreadable: err.reason });
      continue;
    }
    if (pages !== d.pages) {
      throw new InputError(`${file}: has ${pages} pages, ${manifestFile} documents.${i}.pages says ${d.pages}`);
    }
    documents.push({ id: d.id, file, sha256, pages });
  }
  return documents;
}

function parseQuestions(file: string, source: string, documents: readonly GoldenDocument[]): GoldenQuestion[] {
  const pagesOf = new Map(documents.map((d) => [d.id, d.pages]));
  const firstLineOf = new Map<string, number>();
  const questions: GoldenQuestion[] = [];
  const problems: string[] = [];
  source.split('\n').forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim().length === 0) return;
    const where = `${file}:${line}`;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (err) {
      problems.push(`${where}: invalid JSON: ${(err as Error).message}`);
      return;
    }
    const parsed = questionSchema.safeParse(value, { error: goldenErrorMap });
    if (!parsed.success) {
      problems.push(describeZodIssues(where, parsed.error.issues));
      return;
    }
    const q = parsed.data;
    const first = firstLineOf.get(q.id);
    if (first !== undefined) problems.push(`${where}: id: duplicate question id "${q.id}" (first on line ${first})`);
    else firstLineOf.set(q.id, line);
    q.evidence.forEach((e, i) => problems.push(...checkEvidencePages(`${where}: evidence.${i}`, e, pagesOf)));
    questions.push(q);
  });
  if (problems.length === 0 && questions.length === 0) problems.push(`${file}: no questions`);
  if (problems.length > 0) {
    const listed = problems.slice(0, MAX_LISTED);
    if (problems.length > MAX_LISTED) listed.push(`... and ${problems.length - MAX_LISTED} more problems in ${file}`);
    throw new InputError(listed.join('\n'));
  }
  return questions;
}

function checkEvidencePages(where: string, e: GoldenQuestion['evidence'][number], pagesOf: ReadonlyMap<string, number>): string[] {
  const pages = pagesOf.get(e.doc);
  if (pages === undefined) return [`${where}.doc: unknown document "${e.doc}" (not in manifest.json)`];
  const problems: string[] = [];
  if (e.page > pages) problems.push(`${where}.page: ${e.page} is past the last page of "${e.doc}" (${pages} pages)`);
  if (e.pageEnd < e.page) problems.push(`${where}.pageEnd: ${e.pageEnd} is before page ${e.page}`);
  else if (e.pageEnd > pages) problems.push(`${where}.pageEnd: ${e.pageEnd} is past the last page of "${e.doc}" (${pages} pages)`);
  return problems;
}
