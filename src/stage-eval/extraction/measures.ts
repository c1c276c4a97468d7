/**
 * Extraction accuracy measures, on text already normalised (./normalize-page.ts: NFKC,
 * case-fold, ASCII quotes and dashes, one space for any whitespace, line-end hyphens joined).
 *
 * - Edit similarity: 1 − Levenshtein(reference, extracted) / max(|reference|, |extracted|), in
 *   UTF-16 code units, as the public PDF-extraction benchmarks compute it. Levenshtein is
 *   quadratic, so a whole manual is scored as aligned blocks: the sum of the blocks' distances is
 *   an upper bound on the whole texts' distance (the blocks' alignments joined are one alignment
 *   of the whole), so the block similarity is a lower bound of the whole-text similarity.
 * - Word F1: precision and recall of the extracted word multiset against the reference's.
 * - Order recall: the share of the reference's word 4-grams (as a multiset) found in the
 *   extraction; words out of reading order break the 4-grams that span them.
 */
import { distance } from 'fastest-levenshtein';

/** Words: runs of letters, digits and combining marks; punctuation separates them. */
export function words(text: string): string[] {
  return text.match(/[\p{L}\p{N}\p{M}]+/gu) ?? [];
}

export function editDistance(a: string, b: string): number {
  return distance(a, b);
}

/** 1 − Levenshtein / max length; two empty texts are identical (1). */
export function editSimilarity(reference: string, extracted: string): number {
  return blockEditSimilarity([{ reference, extracted }]);
}

export interface BlockPair {
  reference: string;
  extracted: string;
}

/** 1 − Σ distance / max(Σ |reference|, Σ |extracted|): a lower bound of the similarity of the joined texts. */
export function blockEditSimilarity(blocks: readonly BlockPair[]): number {
  let dist = 0;
  let refLength = 0;
  let extLength = 0;
  for (const b of blocks) {
    dist += editDistance(b.reference, b.extracted);
    refLength += b.reference.length;
    extLength += b.extracted.length;
  }
  const longest = Math.max(refLength, extLength);
  return longest === 0 ? 1 : 1 - dist / longest;
}

function counts(items: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const it of items) m.set(it, (m.get(it) ?? 0) + 1);
  return m;
}

/** Size of the multiset intersection. */
function overlap(reference: Map<string, number>, extracted: Map<string, number>): number {
  let n = 0;
  for (const [item, c] of reference) n += Math.min(c, extracted.get(item) ?? 0);
  return n;
}

export interface WordScores {
  precision: number;
  recall: number;
  f1: number;
}

/** Multiset precision, recall and F1 of the extracted words; both empty is a perfect 1. */
export function wordScores(referenceWords: readonly string[], extractedWords: readonly string[]): WordScores {
  if (referenceWords.length === 0 && extractedWords.length === 0) return { precision: 1, recall: 1, f1: 1 };
  const common = overlap(counts(referenceWords), counts(extractedWords));
  const precision = extractedWords.length === 0 ? 0 : common / extractedWords.length;
  const recall = referenceWords.length === 0 ? 0 : common / referenceWords.length;
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1 };
}

export const ORDER_NGRAM = 4;

function ngrams(ws: readonly string[], n: number): string[] {
  const out: string[] = [];
  for (let i = 0; i + n <= ws.length; i++) out.push(ws.slice(i, i + n).join(' '));
  return out;
}

/**
 * Share of the reference's word n-grams (multiset) that the extraction also has. A reference
 * shorter than n words has one n-gram: itself.
 */
export function orderRecall(referenceWords: readonly string[], extractedWords: readonly string[], n = ORDER_NGRAM): number {
  if (referenceWords.length === 0) return 1;
  const size = Math.min(n, referenceWords.length);
  const reference = ngrams(referenceWords, size);
  return overlap(counts(reference), counts(ngrams(extractedWords, size))) / reference.length;
}
