import nlp from 'wink-nlp-utils';
import { normalizeText } from '../text/normalize.ts';

const WORD_SEPARATORS = /[^\p{L}\p{N}]+/u;
/** Stray letters ("s" of "Norman's", list markers): noise. Single CJK characters are words. */
const SINGLE_LATIN_LETTER = /^[a-z]$/;

/**
 * Terms for lexical matching: the golden-set normalisation (NFKC, case-fold, ASCII quotes and
 * dashes, line-end hyphens joined), split into letter/digit runs, English stopwords and
 * single Latin letters dropped, Porter2-stemmed ("Normans" and "Norman" meet).
 */
export function lexicalTerms(text: string): string[] {
  const words = normalizeText(text)
    .split(WORD_SEPARATORS)
    .filter((w) => w.length > 0 && !SINGLE_LATIN_LETTER.test(w));
  return nlp.tokens.stem(nlp.tokens.removeWords(words));
}
