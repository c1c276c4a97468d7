/**
 * Chunk quality of one run: per question, the token overlap of its top-k chunks with its
 * evidence passages, located in the run's own extraction exactly as relevance locates them
 * (RelevanceJudge.locate, so the same passages count as located).
 */
import type { Chunk } from '../../chunk/types.ts';
import type { ExtractedDocument } from '../../extract/types.ts';
import type { GoldenQuestion } from '../../evaluate/golden.ts';
import type { RelevanceJudge } from '../../evaluate/relevance.ts';
import { tokenOverlap, type DocumentSpan } from './overlap.ts';
import type { ChunkQuality } from './schema.ts';
import { TokenIndex } from './tokens.ts';

export type QualityQuestion = Pick<GoldenQuestion, 'answerable' | 'evidence'>;

export interface ChunkQualityInput {
  k: number;
  /** The scored questions, in scoring order (golden.sample.ids). */
  questions: readonly QualityQuestion[];
  /** Each question's ranked chunks, aligned with `questions`; the top k are judged. */
  ranked: readonly (readonly Chunk[])[];
  /** The run's extractions by document id (the judge's documents). */
  documents: ReadonlyMap<string, ExtractedDocument>;
  judge: RelevanceJudge;
}

/** Token indices of a run's documents, built on first use. */
function tokenIndices(documents: ReadonlyMap<string, ExtractedDocument>): (docId: string) => TokenIndex {
  const built = new Map<string, TokenIndex>();
  return (docId) => {
    let index = built.get(docId);
    if (!index) {
      const doc = documents.get(docId);
      if (!doc) throw new Error(`chunk quality: a chunk or passage names document "${docId}", which this run did not extract`);
      index = new TokenIndex(doc.text);
      built.set(docId, index);
    }
    return index;
  };
}

const meanOf = (xs: readonly (number | null)[]): number | null => {
  const present = xs.filter((x): x is number => x !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0) / present.length;
};

export function chunkQuality({ k, questions, ranked, documents, judge }: ChunkQualityInput): ChunkQuality {
  if (ranked.length !== questions.length) throw new Error(`chunk quality: ${ranked.length} rankings for ${questions.length} questions`);
  const indexOf = tokenIndices(documents);
  const precision: (number | null)[] = [];
  const recall: (number | null)[] = [];
  const iou: (number | null)[] = [];
  let unanswerable = 0;
  let evidenceNotLocated = 0;
  questions.forEach((q, i) => {
    let overlap = null;
    if (!q.answerable) unanswerable++;
    else {
      // A passage not found verbatim has no span in this extraction: its tokens are unknown.
      const evidence: DocumentSpan[] = q.evidence.flatMap((e) => {
        const { span } = judge.locate(e);
        return span && documents.has(e.doc) ? [{ docId: e.doc, ...span }] : [];
      });
      const top = (ranked[i] ?? []).slice(0, k).map((c) => ({ docId: c.docId, start: c.charStart, end: c.charEnd }));
      overlap = evidence.length > 0 ? tokenOverlap(evidence, top, indexOf) : null;
      if (!overlap) evidenceNotLocated++;
    }
    precision.push(overlap?.precision ?? null);
    recall.push(overlap?.recall ?? null);
    iou.push(overlap?.iou ?? null);
  });
  return {
    k,
    questions: iou.filter((x) => x !== null).length,
    unanswerable,
    evidenceNotLocated,
    tokenPrecision: meanOf(precision),
    tokenRecall: meanOf(recall),
    tokenIou: meanOf(iou),
    perQuestion: { tokenPrecision: precision, tokenRecall: recall, tokenIou: iou },
  };
}
