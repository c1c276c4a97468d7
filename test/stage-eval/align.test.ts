import { describe, expect, it } from 'vitest';
import { alignExtraction, boundBlock, findOnWordBoundary } from '../../src/stage-eval/extraction/align.ts';
import { blockEditSimilarity } from '../../src/stage-eval/extraction/measures.ts';
import type { ReferenceDocument } from '../../src/stage-eval/extraction/references.ts';

/** Two chapters over three pages; chapter 1 has a section with a footnote. */
function reference(): ReferenceDocument {
  return {
    name: 'tiny',
    source: 'r-manual',
    pdf: 'tiny.pdf',
    pageCount: 3,
    runningLines: [[], ['Chapter 1: Intro', '2'], []],
    parts: [
      {
        title: '1 Intro',
        firstPage: 1,
        lastPage: 2,
        sections: [
          { anchor: '1 intro', text: '1 intro r is a language.', footnotes: [] },
          { anchor: '1.1 history', text: '1.1 history r grew out of s at bell labs.', footnotes: ['the s language won an acm award in 1998.'] },
        ],
      },
      { title: '2 Basics', firstPage: 3, lastPage: 3, sections: [{ anchor: '2 basics', text: '2 basics type help.', footnotes: [] }] },
    ],
  };
}

describe('alignExtraction', () => {
  it('matches chapters by page, sections by heading, and scores the footnote where the PDF printed it', () => {
    const pages = [
      { page: 1, text: '1 Intro\nR is a language.\n1.1 History\nR grew out of S' },
      { page: 2, text: 'Chapter 1: Intro 2\nat Bell Labs.\nThe S language won an ACM award in 1998.' },
      { page: 3, text: '2 Basics\nType help.' },
    ];
    const a = alignExtraction(reference(), pages);
    expect(a.blocks).toEqual([
      { reference: 'the s language won an acm award in 1998.', extracted: 'the s language won an acm award in 1998.' },
      { reference: '1 intro r is a language.', extracted: '1 intro r is a language.' },
      { reference: '1.1 history r grew out of s at bell labs.', extracted: '1.1 history r grew out of s at bell labs.' },
      { reference: '2 basics type help.', extracted: '2 basics type help.' },
    ]);
    expect(blockEditSimilarity(a.blocks)).toBe(1);
    expect([a.anchorsFound, a.anchors, a.footnotesFound, a.footnotes]).toEqual([1, 1, 1, 1]);
  });

  it('merges a section whose heading is missing into the one before, and keeps a lost footnote in its section', () => {
    const pages = [
      { page: 1, text: '1 Intro\nR is a language. R grew out of S' },
      { page: 2, text: 'at Bell Labs.' },
      { page: 3, text: '2 Basics\nType help.' },
    ];
    const a = alignExtraction(reference(), pages);
    expect(a.blocks[0]).toEqual({
      reference: '1 intro r is a language. 1.1 history r grew out of s at bell labs. the s language won an acm award in 1998.',
      extracted: '1 intro r is a language. r grew out of s at bell labs.',
    });
    expect([a.anchorsFound, a.footnotesFound]).toEqual([0, 0]);
    expect(blockEditSimilarity(a.blocks)).toBeLessThan(1);
  });

  it('keeps a chapter that lands on the wrong pages in its own block: misplaced text costs', () => {
    const pages = [
      { page: 1, text: '1 Intro\nR is a language.\n1.1 History\nR grew out of S at Bell Labs. The S language won an ACM award in 1998.\n2 Basics\nType help.' },
    ];
    const a = alignExtraction(reference(), pages);
    expect(a.blocks.at(-1)).toEqual({ reference: '2 basics type help.', extracted: '' });
  });
});

describe('findOnWordBoundary', () => {
  it('finds a heading only as whole words, from the cursor on', () => {
    expect(findOnWordBoundary('see 11.1 history, then 1.1 history', '1.1 history', 0)).toBe(23);
    expect(findOnWordBoundary('1.1 history and 1.1 history', '1.1 history', 1)).toBe(16);
    expect(findOnWordBoundary('1.1 historyx', '1.1 history', 0)).toBe(-1);
    expect(findOnWordBoundary('anything', '', 0)).toBe(-1);
  });
});

describe('boundBlock', () => {
  it('cuts a long pair into equal shares on both sides', () => {
    const pair = { reference: 'a'.repeat(100), extracted: 'b'.repeat(50) };
    const shares = boundBlock(pair, 40);
    expect(shares.map((s) => [s.reference.length, s.extracted.length])).toEqual([[33, 17], [34, 16], [33, 17]]);
    expect(shares.map((s) => s.reference).join('')).toBe(pair.reference);
    expect(boundBlock({ reference: 'short', extracted: 'short' }, 40)).toHaveLength(1);
  });
});
