import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goldenReferences, matchChapters, referenceText, rManualReference } from '../../src/stage-eval/extraction/references.ts';
import type { TexinfoNode } from '../../src/stage-eval/extraction/texinfo-html.ts';
import { InputError } from '../../src/util/errors.ts';
import { requireRManual } from './r-manuals.ts';

const GOLDEN = join(import.meta.dirname, '..', '..', 'golden', 'squad-dev');

function node(id: string, heading: string): TexinfoNode {
  return { id, kind: 'chapter', heading, text: `${heading} text`, footnotes: [] };
}

describe('matchChapters', () => {
  it('cuts the pages at each chapter the HTML has, drops index pages and folds unknown entries into the chapter before', () => {
    const nodes = [node('Intro', '1 Intro'), node('Intro-_0028details_0029', '1.1 Intro (details)'), node('Usage', '2 Usage'), node('References', 'A References')];
    const outline = [
      { title: '1 Intro', dest: 'Intro', page: 5 },
      { title: '2 Usage', dest: 'Usage', page: 8 },
      { title: '3 Not in the HTML', dest: 'Elsewhere', page: 10 },
      { title: 'Concept index', dest: 'Concept index', page: 12 },
      { title: 'A References', dest: 'References', page: 14 },
    ];
    const parts = matchChapters(nodes, outline, ['Concept-index'], 15);
    expect(parts.map((p) => [p.title, p.firstPage, p.lastPage, p.sections.length])).toEqual([
      ['1 Intro', 5, 7, 2],
      ['2 Usage', 8, 11, 1],
      ['A References', 14, 15, 1],
    ]);
  });

  it('scores two chapters that start on one page as one part', () => {
    const parts = matchChapters([node('A', '1 A'), node('B', '2 B')], [{ title: '1 A', dest: 'A', page: 3 }, { title: '2 B', dest: 'B', page: 3 }], [], 4);
    expect(parts.map((p) => [p.firstPage, p.lastPage, p.sections.length])).toEqual([[3, 4, 2]]);
  });
});

describe('rManualReference', () => {
  it('matches every chapter of R-FAQ to its pages, leaving out the title and contents pages', async () => {
    requireRManual('R-FAQ.html');
    const ref = await rManualReference('/usr/share/R/doc/manual', 'R-FAQ');
    expect(ref.pageCount).toBe(52);
    expect(ref.parts.map((p) => [p.firstPage, p.lastPage])).toEqual([
      [5, 6], [7, 15], [16, 23], [24, 24], [25, 29], [30, 31], [32, 47], [48, 48], [49, 51], [52, 52],
    ]);
    expect(ref.parts[0]!.sections[0]!.text.startsWith('1 introduction this document contains answers')).toBe(true);
  });

  it('names the missing edition and how to install it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ragbench-manuals-'));
    copyFileSync(requireRManual('R-FAQ.pdf'), join(dir, 'R-FAQ.pdf'));
    const err = await rManualReference(dir, 'R-FAQ').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as Error).message).toContain(join(dir, 'R-FAQ.html'));
    expect((err as Error).message).toContain('npm run setup');
  });
});

describe('goldenReferences', () => {
  it('recovers every paragraph the generator laid out, in page order', async () => {
    const refs = await goldenReferences(GOLDEN);
    expect(refs).toHaveLength(12);
    expect(refs.reduce((n, r) => n + r.parts[0]!.sections.length - 1, 0)).toBe(481);
    const normans = refs.find((r) => r.name === 'Normans')!;
    expect(normans.parts).toEqual([expect.objectContaining({ firstPage: 1, lastPage: 8 })]);
    expect(referenceText(normans).startsWith('normans the normans (norman: nourmands; french: normands;')).toBe(true);
  });
});
