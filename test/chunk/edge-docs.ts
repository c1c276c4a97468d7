import type { ExtractedDocument } from '../../src/extract/types.ts';
import { makeDoc } from './pdf.ts';

/** Hand-made documents for the cases real PDFs rarely show in a few pages. */
export const EDGE_DOCS: Record<string, ExtractedDocument> = {
  // A sentence that runs on from page 1 to page 2, and a blank page between.
  pageBoundary: makeDoc(
    [
      'The first page opens with a complete sentence. Then a sentence starts here and',
      'continues on the second page without a break. The second page ends here.',
      '',
      '   \n  ',
      'Page five has the last words.',
    ],
    'pages',
  ),
  // Lines with no sentence punctuation at all (a word list, as in an index).
  noPunctuation: makeDoc(
    [
      Array.from({ length: 60 }, (_, i) => `entry ${i} vectors matrices arrays lists data frames factors`).join('\n'),
    ],
    'nopunct',
  ),
  // One word longer than any window (a base64 blob), inside ordinary prose.
  hugeWord: makeDoc([`Before the blob. ${'QUJDREVGR0hJSktMTU5PUA'.repeat(120)} After the blob.`], 'huge'),
  // Emoji (surrogate pairs, ZWJ sequences), combining marks, CJK and Arabic.
  unicode: makeDoc(
    [
      `Café naïve résumé. ${'👩‍👩‍👧‍👦'.repeat(40)} family emoji run. ${'e\u0301'.repeat(300)}`,
      '日本語の文です。次の文もあります。三つ目の文。 Ελληνικά κείμενα εδώ. مرحبا بالعالم. 😀😀😀 ' + '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 '.repeat(60),
    ],
    'unicode',
  ),
  empty: makeDoc(['', '  \n\n '], 'empty'),
};
