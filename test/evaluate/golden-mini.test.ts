import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGoldenSet, type GoldenSet } from '../../src/evaluate/golden.ts';
import { answersOutsideEvidence, differingFiles, evidenceProblems, readPages, runGenerator } from './golden-consistency.ts';

const SET_DIR = resolve('test/fixtures/golden-mini');
const XSS_SCRIPT = '<script>alert("pwned")</script>';
const XSS_IMG = '<img src=x onerror=alert(1)>';

describe('mini golden set test/fixtures/golden-mini', () => {
  let set: GoldenSet;
  let pages: Map<string, string[]>;
  beforeAll(async () => {
    set = await loadGoldenSet(SET_DIR);
    pages = await readPages(set);
  });

  it('is small: 3 documents, 14 questions, 3 of them unanswerable', () => {
    expect(set.documents.map((d) => [d.id, d.pages])).toEqual([
      ['Greyhaven_Lighthouse', 2],
      ['Comment_Form_Audit', 1],
      ['Harbour_Tides', 1],
    ]);
    expect(set.questions).toHaveLength(14);
    expect(set.questions.filter((q) => !q.answerable).map((q) => q.id)).toEqual(['mini-12', 'mini-13', 'mini-14']);
  });

  it('carries HTML/JS payloads verbatim in answers, evidence and the PDF text', () => {
    const answers = set.questions.flatMap((q) => q.answers);
    expect(answers).toContain(XSS_SCRIPT);
    expect(answers).toContain(XSS_IMG);
    const evidence = set.questions.flatMap((q) => q.evidence.map((e) => e.text)).join('\n');
    expect(evidence).toContain(XSS_SCRIPT);
    expect(evidence).toContain(XSS_IMG);
    const pdfText = pages.get('Comment_Form_Audit')?.join('\n') ?? '';
    expect(pdfText).toContain(XSS_SCRIPT);
    expect(pdfText).toContain(XSS_IMG);
  });

  it('has an evidence passage that crosses a page break, with its answer on the second page', () => {
    const q = set.questions.find((x) => x.id === 'mini-11');
    expect(q?.evidence).toEqual([expect.objectContaining({ doc: 'Greyhaven_Lighthouse', page: 1, pageEnd: 2 })]);
    expect(pages.get('Greyhaven_Lighthouse')?.[1]).toContain('2004');
  });

  it('has a question with evidence in two documents', () => {
    const q = set.questions.find((x) => x.id === 'mini-10');
    expect(q?.evidence.map((e) => e.doc)).toEqual(['Greyhaven_Lighthouse', 'Harbour_Tides']);
  });

  it('has every evidence passage on its page range and every answer in its evidence', () => {
    expect(evidenceProblems(set, pages)).toEqual([]);
    expect(answersOutsideEvidence(set)).toEqual([]);
  });

  it('the page-range check catches ranges that are wrong or too wide', () => {
    const relabel = (id: string, page: number, pageEnd: number): GoldenSet => ({
      ...set,
      questions: set.questions.map((q) => (q.id === id ? { ...q, evidence: q.evidence.map((e) => ({ ...e, page, pageEnd })) } : q)),
    });
    const problems = (s: GoldenSet): string[] => evidenceProblems(s, pages).map((p) => `${p.question}: ${p.problem}`);
    expect(problems(relabel('mini-11', 1, 1))).toEqual(['mini-11: not on its page range']);
    expect(problems(relabel('mini-11', 2, 2))).toEqual(['mini-11: not on its page range']);
    expect(problems(relabel('mini-01', 1, 2))).toEqual(['mini-01: ends before pageEnd']);
    // A passage wholly on page 2 but labelled 1-2.
    const twoPages = new Map([['Greyhaven_Lighthouse', ['The Greyhaven Lighthouse', 'stands on a granite spur']]]);
    const late = { ...set, questions: [{ ...(set.questions[0] as GoldenSet['questions'][number]), evidence: [{ doc: 'Greyhaven_Lighthouse', page: 1, pageEnd: 2, text: 'stands on a granite spur' }] }] };
    expect(evidenceProblems(late, twoPages).map((p) => p.problem)).toEqual(['starts after page']);
  });

  describe('generator', () => {
    let out: string;
    beforeAll(async () => {
      out = await mkdtemp(join(tmpdir(), 'ragbench-mini-'));
    });
    afterAll(async () => rm(out, { recursive: true, force: true }));

    it('regenerates the committed fixture byte for byte', async () => {
      expect(runGenerator('scripts/make-mini-golden.ts', [out])).toMatch(/14 questions, 11 answerable/);
      expect(await differingFiles(SET_DIR, out)).toEqual([]);
    });
  });
});
