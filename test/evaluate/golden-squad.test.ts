import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGoldenSet, type GoldenSet } from '../../src/evaluate/golden.ts';
import { appears } from '../../src/text/normalize.ts';
import { answersOutsideEvidence, checkableParts, differingFiles, evidenceProblems, readPages, runGenerator } from './golden-consistency.ts';

const SET_DIR = resolve('golden/squad-dev');
const SQUAD_SOURCE = resolve('../shared/data/squad/dev-v2.0-shared.json');

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

  describe.runIf(existsSync(SQUAD_SOURCE))('generator', () => {
    let out: string;
    beforeAll(async () => {
      out = await mkdtemp(join(tmpdir(), 'ragbench-squad-'));
    });
    afterAll(async () => rm(out, { recursive: true, force: true }));

    it('regenerates the committed set byte for byte', async () => {
      const printed = runGenerator('scripts/make-squad-golden.ts', [SQUAD_SOURCE, out]);
      expect(printed).toMatch(/12 documents, \d+ pages/);
      expect(await differingFiles(SET_DIR, out)).toEqual([]);
    });
  });
});
