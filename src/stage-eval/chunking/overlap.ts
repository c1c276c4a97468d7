/**
 * Token-level overlap of retrieved chunks with evidence passages, as the chunking evaluation
 * of Smith & Troynikov (Chroma, 2024, "Evaluating Chunking Strategies for Retrieval") defines
 * it: with E the evidence tokens and R the retrieved tokens of one question,
 * precision = |E ∩ R| / |R|, recall = |E ∩ R| / |E|, IoU = |E ∩ R| / |E ∪ R|.
 * Both are sets of (document, token position): a token two overlapping chunks share, or two
 * evidence passages share, counts once.
 */
import { sharedSize, sizeOf, unionOf } from './ranges.ts';
import type { TokenIndex, TokenRange } from './tokens.ts';

/** A character span of one document's extracted text. */
export interface DocumentSpan {
  docId: string;
  start: number;
  end: number;
}

export interface TokenOverlap {
  evidenceTokens: number;
  retrievedTokens: number;
  sharedTokens: number;
  /** 0 when nothing was retrieved (the chunking evaluation's convention). */
  precision: number;
  recall: number;
  iou: number;
}

/** Token sets per document, as disjoint sorted ranges. */
function tokenSets(spans: readonly DocumentSpan[], indexOf: (docId: string) => TokenIndex): Map<string, TokenRange[]> {
  const raw = new Map<string, TokenRange[]>();
  for (const s of spans) {
    const list = raw.get(s.docId) ?? [];
    list.push(indexOf(s.docId).rangeOf(s));
    raw.set(s.docId, list);
  }
  return new Map([...raw].map(([doc, ranges]) => [doc, unionOf(ranges)]));
}

/** Null when the evidence holds no token: there is nothing to recall. */
export function tokenOverlap(
  evidence: readonly DocumentSpan[],
  retrieved: readonly DocumentSpan[],
  indexOf: (docId: string) => TokenIndex,
): TokenOverlap | null {
  const e = tokenSets(evidence, indexOf);
  const r = tokenSets(retrieved, indexOf);
  const evidenceTokens = [...e.values()].reduce((n, ranges) => n + sizeOf(ranges), 0);
  if (evidenceTokens === 0) return null;
  const retrievedTokens = [...r.values()].reduce((n, ranges) => n + sizeOf(ranges), 0);
  let sharedTokens = 0;
  for (const [doc, ranges] of e) sharedTokens += sharedSize(ranges, r.get(doc) ?? []);
  const union = evidenceTokens + retrievedTokens - sharedTokens;
  return {
    evidenceTokens,
    retrievedTokens,
    sharedTokens,
    precision: retrievedTokens === 0 ? 0 : sharedTokens / retrievedTokens,
    recall: sharedTokens / evidenceTokens,
    iou: sharedTokens / union,
  };
}
