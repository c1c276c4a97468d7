import { describe, expect, it } from 'vitest';
import { lexicalTerms } from '../../src/retrieve/tokenize.ts';

describe('lexicalTerms', () => {
  it('folds case and typography, drops stopwords and single letters, and stems', () => {
    expect(lexicalTerms('The Normans’ “raids” were in the 10th century')).toEqual(['norman', 'raid', '10th', 'centuri']);
    expect(lexicalTerms('Which countries did the Norse originate from?')).toEqual(['countri', 'nors', 'origin']);
  });

  it('joins words hyphenated at a line end and NFKC-folds ligatures', () => {
    expect(lexicalTerms('impor-\ntant ﬁles')).toEqual(['import', 'file']);
  });

  it('keeps digits and non-Latin letters, and returns nothing for punctuation only', () => {
    expect(lexicalTerms('Yuan 元 dynasty in 1271 (a 2 b)')).toEqual(['yuan', '元', 'dynasti', '1271', '2']);
    expect(lexicalTerms(' -- ... ')).toEqual([]);
  });
});
