import { describe, expect, it } from 'vitest';
import { buildLines, layoutPage, type TextRun } from '../../src/extract/layout.ts';

/** A run of 10-unit text whose width is 5 units per character (like a 10 pt font). */
const run = (text: string, x: number, y: number, size = 10): TextRun => ({ text, x, y, width: text.length * 5, size });

describe('layoutPage', () => {
  it('inserts spaces at word-sized gaps only', () => {
    // "Hel" ends at x=15; "lo" follows with no gap (kerning); "world" after a 3-unit gap (0.3 em).
    const text = layoutPage([run('Hel', 0, 700), run('lo', 15, 700), run('world', 28, 700)]);
    expect(text).toBe('Hello world');
  });

  it('ignores pdf.js space items and does not double spaces', () => {
    expect(layoutPage([run('one ', 0, 700), run(' ', 20, 700), run('two', 24, 700)])).toBe('one two');
  });

  it('breaks lines by baseline and paragraphs by a wider vertical gap', () => {
    const lines = [700, 688, 676, 650, 638].map((y, i) => run(`line ${i + 1}`, 72, y));
    expect(layoutPage(lines)).toBe('line 1\nline 2\nline 3\n\nline 4\nline 5');
  });

  it('sets a heading apart even when widely spaced code lines outnumber the body lines below it', () => {
    const runs = [
      run('1.6 A heading', 72, 700, 14),
      run('body one', 72, 681),
      run('body two', 72, 669),
      run('body three', 72, 657),
      ...[640, 625, 610, 595].map((y, i) => run(`> code ${i}`, 72, y)),
    ];
    // The usual pitch is then the code's (1.5 em); the heading's 1.9 em still stands out.
    expect(layoutPage(runs)).toBe('1.6 A heading\n\nbody one\nbody two\nbody three\n> code 0\n> code 1\n> code 2\n> code 3');
  });

  it('keeps a superscript on its line', () => {
    expect(layoutPage([run('award-winning', 0, 700), run('1', 66, 704, 7), run('S system', 75, 700)])).toBe(
      'award-winning1 S system',
    );
  });

  it('starts a paragraph when text jumps up the page', () => {
    expect(layoutPage([run('bottom of a column', 72, 100), run('top of the next', 320, 700)])).toBe(
      'bottom of a column\n\ntop of the next',
    );
  });

  it('reads two columns drawn line by line across the page column by column', () => {
    const left = 'the left column is read first and it runs down the page';
    const right = 'the right column comes after all of the left one has been';
    const wide = (text: string, x: number, y: number, width: number): TextRun => ({ text, x, y, width, size: 10 });
    const runs: TextRun[] = [wide('A TITLE ACROSS THE WHOLE PAGE', 50, 760, 550)];
    for (let i = 0; i < 8; i++) {
      runs.push(wide(`${left} L${i}`, 50, 720 - i * 12, 250), wide(`${right} R${i}`, 350, 720 - i * 12, 250));
    }
    runs.push(wide('a footer that spans the page', 50, 40, 550));
    const text = layoutPage(runs);
    const order = [...text.matchAll(/TITLE|L\d|R\d|footer/g)].map((m) => m[0]);
    expect(order).toEqual(['TITLE', 'L0', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7', 'R0', 'R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'footer']);
  });

  it('keeps a table row on one line', () => {
    expect(layoutPage([run('x', 72, 700), run('a R object', 150, 700), run('which', 72, 688), run('logical', 150, 688)])).toBe(
      'x a R object\nwhich logical',
    );
  });

  it('gives empty text for no runs and treats a zero font size as 1', () => {
    expect(layoutPage([])).toBe('');
    expect(layoutPage([run('a', 0, 0, 0), run('b', 5, 0, 0)])).toBe('ab');
  });
});

describe('buildLines', () => {
  it('splits a line at a gap wider than maxGapEm', () => {
    const runs = [run('left', 0, 700), run('right', 60, 700)];
    expect(buildLines(runs).map((l) => l.text)).toEqual(['left right']);
    expect(buildLines(runs, 1).map((l) => l.text)).toEqual(['left', 'right']);
  });
});
