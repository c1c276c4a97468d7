import { describe, expect, it } from 'vitest';
import {
  blockEditSimilarity,
  editDistance,
  editSimilarity,
  orderRecall,
  wordScores,
  words,
} from '../../src/stage-eval/extraction/measures.ts';

describe('edit similarity', () => {
  it('is 1 − Levenshtein / max length', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editSimilarity('kitten', 'sitting')).toBeCloseTo(1 - 3 / 7, 12);
    expect(editSimilarity('same text', 'same text')).toBe(1);
    expect(editSimilarity('', '')).toBe(1);
    expect(editSimilarity('abc', '')).toBe(0);
    expect(editSimilarity('abc', 'xyz')).toBe(0);
  });

  it('sums block distances over the longer side', () => {
    const blocks = [
      { reference: 'kitten', extracted: 'sitting' },
      { reference: 'flaw', extracted: 'lawn' },
    ];
    expect(blockEditSimilarity(blocks)).toBeCloseTo(1 - (3 + 2) / Math.max(6 + 4, 7 + 4), 12);
  });

  it('gives a lower bound of the similarity of the joined texts', () => {
    // Cut at different places, the blocks pay for what one alignment of the whole would not.
    const blocks = [
      { reference: 'the quick brown', extracted: 'the quick' },
      { reference: ' fox jumps', extracted: ' brown fox jumps' },
    ];
    const whole = editSimilarity('the quick brown fox jumps', 'the quick brown fox jumps');
    expect(whole).toBe(1);
    expect(blockEditSimilarity(blocks)).toBeLessThan(whole);
    expect(blockEditSimilarity([{ reference: 'the quick brown', extracted: 'the quick brown' }, { reference: ' fox jumps', extracted: ' fox jumps' }])).toBe(1);
  });
});

describe('word F1', () => {
  it('counts words as a multiset', () => {
    // common: a, b (once: the extraction has one), c (once: the reference has one) = 3
    const s = wordScores(words('a b b c'), words('a b c c d'));
    expect(s.precision).toBeCloseTo(3 / 5, 12);
    expect(s.recall).toBeCloseTo(3 / 4, 12);
    expect(s.f1).toBeCloseTo((2 * 0.6 * 0.75) / (0.6 + 0.75), 12);
  });

  it('is 0 for an empty extraction and 1 for two empty texts', () => {
    expect(wordScores(['a'], [])).toEqual({ precision: 0, recall: 0, f1: 0 });
    expect(wordScores([], []).f1).toBe(1);
  });

  it('splits words at punctuation, keeps letters of any script and digits', () => {
    expect(words('see section 2.10 [what is cran?], page 9')).toEqual(['see', 'section', '2', '10', 'what', 'is', 'cran', 'page', '9']);
    expect(words('naïve café 東京 x86_64')).toEqual(['naïve', 'café', '東京', 'x86', '64']);
  });
});

describe('order recall (word 4-grams)', () => {
  const reference = words('a b c d e f');

  it('is 1 for the same order and 0 when halves swap, where word F1 sees no difference', () => {
    const swapped = words('d e f a b c');
    expect(orderRecall(reference, reference)).toBe(1);
    expect(orderRecall(reference, swapped)).toBe(0);
    expect(wordScores(reference, swapped).f1).toBe(1);
  });

  it('loses the 4-grams an inserted word breaks', () => {
    // reference 4-grams: abcd, bcde, cdef; with x after d only abcd survives.
    expect(orderRecall(reference, words('a b c d x e f'))).toBeCloseTo(1 / 3, 12);
  });

  it('counts repeated 4-grams as often as the extraction has them', () => {
    const twice = words('a b c d a b c d');
    // reference 4-grams: abcd ×2, bcda, cdab, dabc; the extraction has abcd once.
    expect(orderRecall(twice, words('a b c d'))).toBeCloseTo(1 / 5, 12);
  });

  it('scores a reference shorter than 4 words as one n-gram', () => {
    expect(orderRecall(words('a b'), words('a b c'))).toBe(1);
    expect(orderRecall(words('a b'), words('b a'))).toBe(0);
    expect(orderRecall([], [])).toBe(1);
  });
});
