import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGoldenSet, type GoldenSet } from '../../src/evaluate/golden.ts';
import { appears } from '../../src/text/normalize.ts';
import { readSquadArticles, type SquadArticle } from '../retrieve/squad.ts';
import { answersOutsideEvidence, checkableParts, differingFiles, evidenceProblems, readPages, runGenerator } from './golden-consistency.ts';

const SET_DIR = resolve('golden/squad-dev');

/** A SQuAD 2.0 file (the generator's input format) holding the given articles. */
function squadJson(articles: readonly SquadArticle[]): string {
  const data = articles.map((a) => ({
    title: a.title,
    paragraphs: a.paragraphs.map((p) => ({
      context: p.context,
      qas: p.qas.map((q) => ({ id: q.id, question: q.question, is_impossible: q.isImpossible, answers: q.answers.map((x) => ({ text: x.text, answer_start: x.start })) })),
    })),
  }));
  return JSON.stringify({ version: 'v2.0', data });
}

describe('bundled golden set golden/squad-dev', () => {
  let set: GoldenSet;
  let pages: Map<string, string[]>;
  beforeAll(async () => {
    set = await loadGoldenSet(SET_DIR);
    pages = await readPages(set);
  });

  it('has the 12 SQuAD 2.0 dev articles and all their questions', () => {
    expect(set.manifest.name).toBe('squad-dev-v2');
    expect(set.manifest.license).toBe('CC BY-SA 4.0');
    expect(set.documents).toHaveLength(12);
    expect(set.questions).toHaveLength(4384);
    expect(set.questions.filter((q) => q.answerable)).toHaveLength(2147);
    for (const d of set.documents) expect(d.pages).toBeGreaterThanOrEqual(3);
  });

  it('keeps SQuAD answers verbatim', () => {
    const q = set.questions.find((x) => x.question === 'In what country is Normandy located?');
    expect(q?.answers).toEqual(['France']);
    expect(q?.evidence).toEqual([expect.objectContaining({ doc: 'Normans', page: 1, pageEnd: 1 })]);
  });

  it('has every evidence passage on exactly the page range it names, as MuPDF extracts the PDFs', () => {
    const problems = evidenceProblems(set, pages);
    expect(problems).toEqual([]);
    // The set exercises passages that cross a page break.
    expect(set.questions.some((q) => q.evidence.some((e) => e.pageEnd > e.page))).toBe(true);
  });

  it('checks right-to-left text around its Arabic run (extractors reorder Arabic)', () => {
    const islamism = set.questions.find((q) => q.evidence.some((e) => e.text.includes('\u0625\u0633\u0644\u0627\u0645')));
    const parts = checkableParts(islamism?.evidence[0]?.text ?? '');
    expect(parts).toHaveLength(2);
    expect(parts[0]).toMatch(/\(Arabic:$/);
    expect(parts[1]).toMatch(/^isl\u0101m siy\u0101s\u012b\), is an Islamic revival/);
  });

  it('has every answer inside its evidence passage', () => {
    expect(answersOutsideEvidence(set)).toEqual([]);
  });

  it('renders every character of the source, CJK included', () => {
    const yuan = pages.get('Yuan_dynasty')?.join('\n') ?? '';
    expect(yuan).toContain('大哉乾元');
    expect(appears('King Trần Hưng Đạo', yuan)).toBe(true);
    expect(appears('Trần Hưng Đạo', 'Tran Hung Dao')).toBe(false);
  });

  // The SQuAD source is not in the repository, but the set holds all of its text: every paragraph
  // is some answerable question's evidence. Rebuilt from that text, the generator must write the
  // committed PDFs, manifest and questions again, byte for byte.
  describe('generator', () => {
    let out: string;
    beforeAll(async () => {
      out = await mkdtemp(join(tmpdir(), 'ragbench-squad-'));
    });
    afterAll(async () => rm(out, { recursive: true, force: true }));

    it('rebuilds the SQuAD articles from the set: 481 paragraphs, all 4,384 questions in order', () => {
      const articles = readSquadArticles(SET_DIR);
      expect(articles.map((a) => a.title)).toEqual(set.documents.map((d) => d.id));
      const paragraphs = articles.flatMap((a) => a.paragraphs);
      expect(paragraphs).toHaveLength(481);
      expect(paragraphs.flatMap((p) => p.qas.map((q) => q.id))).toEqual(set.questions.map((q) => q.id));
      for (const p of paragraphs) for (const q of p.qas) for (const a of q.answers) expect(p.context.slice(a.start, a.start + a.text.length)).toBe(a.text);
    });

    it('regenerates the committed set byte for byte from the text it holds', async () => {
      const source = join(out, 'squad-from-golden.json');
      await writeFile(source, squadJson(readSquadArticles(SET_DIR)));
      const printed = runGenerator('scripts/make-squad-golden.ts', [source, join(out, 'set')]);
      expect(printed).toMatch(/12 documents, \d+ pages/);
      // The dev/test split is added after generation, by its own script (golden/README.md).
      if (set.questions.some((q) => q.split !== undefined)) runGenerator('scripts/assign-splits.ts', [join(out, 'set')]);
      expect(await differingFiles(SET_DIR, join(out, 'set'))).toEqual([]);
    });
  });
});
