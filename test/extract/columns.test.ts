import { describe, expect, it } from 'vitest';
import { columnOrder, columnSwitches, findGutter, sideOf, type Fragment } from '../../src/extract/columns.ts';

const frag = (x0: number, x1: number, y: number, chars = 50, size = 10): Fragment => ({ x0, x1, y, chars, size });

/** Two 230-unit columns with ragged right edges, drawn left line then right line. */
function interleaved(lines = 10): Fragment[] {
  const out: Fragment[] = [];
  for (let i = 0; i < lines; i++) out.push(frag(54, 254 + (i % 3) * 10, 700 - i * 12), frag(318, 548 - (i % 2) * 15, 700 - i * 12));
  return out;
}

describe('findGutter', () => {
  it('finds the band between two columns of prose', () => {
    const gutter = findGutter(interleaved());
    expect(gutter).toBeDefined();
    expect(gutter!.x1).toBe(318);
    expect(gutter!.x0).toBeGreaterThanOrEqual(254);
  });

  it('tolerates a few full-width lines (titles, footers)', () => {
    expect(findGutter([frag(54, 548, 760), ...interleaved(), frag(54, 548, 40)])).toBeDefined();
  });

  it('finds none in a single column', () => {
    expect(findGutter(Array.from({ length: 20 }, (_, i) => frag(72, 540 - (i % 4) * 20, 700 - i * 12)))).toBeUndefined();
  });

  it('finds none in a table of short cells, or with too few lines', () => {
    const table = Array.from({ length: 10 }, (_, i) => [frag(72, 100, 700 - i * 12, 5), frag(318, 540, 700 - i * 12, 50)]).flat();
    expect(findGutter(table)).toBeUndefined();
    expect(findGutter(interleaved(3))).toBeUndefined();
  });

  it('finds none when the gap is narrower than an em', () => {
    const narrow = Array.from({ length: 10 }, (_, i) => [frag(54, 300, 700 - i * 12), frag(305, 548, 700 - i * 12)]).flat();
    expect(findGutter(narrow)).toBeUndefined();
  });
});

describe('column order', () => {
  const gutter = { x0: 260, x1: 318 };

  it('classifies fragments by side; the ragged end of a left line stays left', () => {
    expect(sideOf(frag(54, 280, 0), gutter)).toBe('left');
    expect(sideOf(frag(318, 548, 0), gutter)).toBe('right');
    expect(sideOf(frag(54, 548, 0), gutter)).toBe('span');
  });

  it('counts switches between columns in content order', () => {
    expect(columnSwitches(interleaved(), gutter)).toBe(19);
    const byColumn = [...interleaved().filter((_, i) => i % 2 === 0), ...interleaved().filter((_, i) => i % 2 === 1)];
    expect(columnSwitches(byColumn, gutter)).toBe(1);
  });

  it('orders sections top-down, left column before right, in y-down coordinates too', () => {
    const title = frag(54, 548, 40);
    const left = frag(54, 250, 100);
    const right = frag(318, 548, 100);
    const footer = frag(54, 548, 780);
    expect(columnOrder([right, footer, left, title], gutter, false)).toEqual([title, left, right, footer]);
  });
});
