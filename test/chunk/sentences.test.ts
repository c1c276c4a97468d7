import { describe, expect, it } from 'vitest';
import { paragraphs, sentences } from '../../src/chunk/sentences.ts';
import type { Span } from '../../src/chunk/span.ts';
import { readPdf, R_INTRO } from './pdf.ts';

const read = (text: string, spans: Span[]): string[] => spans.map((s) => text.slice(s.start, s.end));

describe('sentence splitting', () => {
  it('reads line breaks inside a paragraph as spaces, and blank lines as ends', () => {
    const text = 'It is case sensitive as\nare most UNIX based packages. Names are\nunlimited\n\nA new paragraph without a stop';
    expect(read(text, sentences(text))).toEqual([
      'It is case sensitive as\nare most UNIX based packages.',
      'Names are\nunlimited',
      'A new paragraph without a stop',
    ]);
  });

  it('keeps code such as "?help.search" in one sentence', () => {
    const text = 'Try ?help.search for details. Then run x<-1; is it fine? Yes!';
    expect(read(text, sentences(text))).toEqual(['Try ?help.search for details.', 'Then run x<-1; is it fine?', 'Yes!']);
  });

  it('splits CJK sentences, which need no space after the stop', () => {
    const text = '日本語の文です。次の文もあります。三つ目の文。';
    expect(read(text, sentences(text))).toEqual(['日本語の文です。', '次の文もあります。', '三つ目の文。']);
  });

  it('finds the paragraphs of a range only', () => {
    const text = 'one\n\ntwo\n \n three\n\nfour';
    expect(read(text, paragraphs(text, { start: 5, end: 17 }))).toEqual(['two', 'three']);
  });

  it('segments a long paragraph in windows exactly as in one pass', () => {
    // About 90k characters of real prose in one paragraph: far more than one window.
    const manual = readPdf(R_INTRO, 9, 40).text.replace(/\n\s*\n/g, ' ').replace(/\n/g, ' ');
    expect(manual.length).toBeGreaterThan(50_000);
    const whole = [...new Intl.Segmenter('en', { granularity: 'sentence' }).segment(manual)]
      .map((s) => s.index)
      .filter((at) => at > 0 && (/\s/.test(manual[at] ?? '') || !/[.?!]/.test(manual[at - 1] ?? '')));
    const found = sentences(manual).map((s) => s.start).slice(1);
    expect(found).toEqual(whole);
  });

  it('cuts a sentence longer than a window at a space, or between code points', () => {
    const words = 'word '.repeat(6000); // 30k characters, no stop
    const pieces = sentences(words);
    expect(pieces.length).toBeGreaterThanOrEqual(3);
    for (const p of pieces) expect(p.end - p.start).toBeLessThanOrEqual(10_000);
    expect(read(words, pieces).join(' ')).toBe(words.trim());
    const emoji = `a${'😀'.repeat(15_000)}`; // no space, and each window would end inside a pair
    const cut = sentences(emoji);
    expect(cut.length).toBeGreaterThanOrEqual(3);
    expect(read(emoji, cut).join('')).toBe(emoji);
    for (const s of cut) expect(emoji.charCodeAt(s.start)).not.toSatisfy((c: number) => c >= 0xdc00 && c <= 0xdfff);
  });
});
