import { describe, expect, it } from 'vitest';
import { bodyText, normalizeForScoring, stripRunningLines } from '../../src/stage-eval/extraction/page-text.ts';

describe('normalizeForScoring', () => {
  it('folds ligatures, case, quotes, dashes and whitespace, and joins line-end hyphens', () => {
    expect(normalizeForScoring('The \uFB01rst  \u201Cquote\u201D \u2013 impor-\ntant\n')).toBe('the first "quote" - important');
    // The same rule joins a compound broken after its own hyphen, on both sides alike.
    expect(normalizeForScoring('command-\nline')).toBe('commandline');
    expect(normalizeForScoring('command-line')).toBe('command-line');
  });
});

describe('stripRunningLines', () => {
  const running = ['chapter 2: r basics', '6'];

  it('drops the running lines from the start of the page in any order, as one line or two', () => {
    expect(stripRunningLines('chapter 2: r basics 6 snapshots of r-patched', running)).toBe('snapshots of r-patched');
    expect(stripRunningLines('6 chapter 2: r basics snapshots of r-patched', running)).toBe('snapshots of r-patched');
  });

  it('drops a footer from the end and leaves the same text inside the page alone', () => {
    expect(stripRunningLines('body text 6', ['6'])).toBe('body text');
    expect(stripRunningLines('see chapter 2: r basics 6 times', running)).toBe('see chapter 2: r basics 6 times');
    // Only on a word boundary: "61 pages" does not start with the page number "6".
    expect(stripRunningLines('61 pages', ['6'])).toBe('61 pages');
  });

  it('empties a page that holds only its running lines', () => {
    expect(stripRunningLines('chapter 2: r basics 6', running)).toBe('');
  });
});

describe('bodyText', () => {
  it('joins the chosen pages, drops their running lines, and joins a word hyphenated across pages', () => {
    const pages = [
      { page: 1, text: 'Title page' },
      { page: 2, text: 'Chapter 1: Intro\n2\nA word split across pages: impor-' },
      { page: 3, text: 'Chapter 1: Intro\n3\ntant text.' },
    ];
    const running = [[], ['Chapter 1: Intro', '2'], ['Chapter 1: Intro', '3']];
    expect(bodyText(pages, running, 2, 3)).toBe('a word split across pages: important text.');
  });

  it('counts a page the extractor did not return as empty', () => {
    expect(bodyText([{ page: 1, text: 'one' }], [], 1, 2)).toBe('one');
  });
});
