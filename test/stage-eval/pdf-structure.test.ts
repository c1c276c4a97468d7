import { describe, expect, it } from 'vitest';
import { findRunningLines, readPdfStructure, runningKey } from '../../src/stage-eval/extraction/pdf-structure.ts';
import { requireRManual } from './r-manuals.ts';

describe('running headers and footers', () => {
  it('masks page numbers, arabic and roman', () => {
    expect(runningKey('Chapter 12: Graphics  73')).toBe(runningKey('Chapter 12: Graphics 80'));
    expect(runningKey('iii')).toBe('#');
    expect(runningKey('7')).toBe('#');
  });

  it('keeps edge lines that recur on 3 pages, not body lines, nor bare section numbers', () => {
    const edges = [
      ['Chapter 1: Intro', '2', 'The first body line'],
      ['Chapter 1: Intro', '3', 'Another body line'],
      ['Chapter 1: Intro', '4', '5.10.1'],
      ['A new chapter', '5.10.2'],
      ['5.10.3'],
    ];
    expect(findRunningLines(edges)).toEqual([['Chapter 1: Intro', '2'], ['Chapter 1: Intro', '3'], ['Chapter 1: Intro', '4'], [], []]);
  });
});

describe('readPdfStructure on R-FAQ (r-doc-pdf)', () => {
  it('reads the outline and the running lines of the real manual', async () => {
    const s = await readPdfStructure(requireRManual('R-FAQ.pdf'));
    expect(s.pageCount).toBe(52);
    expect(s.outline.map((o) => o.dest)).toEqual([
      'Introduction', 'R Basics', 'R and S', 'R Web Interfaces', 'R Add-On Packages',
      'R and Emacs', 'R Miscellanea', 'R Programming', 'R Bugs', 'Acknowledgments',
    ]);
    expect(s.outline[1]).toMatchObject({ title: '2 R Basics', page: 7 });
    expect(s.runningLines[9]).toEqual(['Chapter 2: R Basics', '6']);
    // A chapter's first page has only its number; the title page has none.
    expect(s.runningLines[4]).toEqual(['1']);
    expect(s.runningLines[0]).toEqual([]);
  });
});
