import type { Chunk } from '../chunk/types.ts';
import { pageAt } from '../extract/pages.ts';
import type { ExtractedDocument } from '../extract/types.ts';
import type { GoldenQuestion } from './golden.ts';
import { toHits } from '../retrieve/citations.ts';
import type { ScoredChunk } from '../retrieve/types.ts';
import type { AccuracyStats, QueryRecord } from '../summary/schema.ts';
import { NormalizedText } from '../text/normalize.ts';
import type { CitationOutcome, CitationVerifier } from './citations.ts';
import { questionIrMetrics, type QuestionIrMetrics } from './ir-metrics.ts';
import type { RelevanceJudge } from './relevance.ts';

/** Hits judged for IR metrics (nDCG@10, recall@10, MRR@10) regardless of the suite's k. */
export const IR_DEPTH = 10;

export interface ScoringContext {
  k: number;
  judge: RelevanceJudge;
  verifier: CitationVerifier;
  /** The extraction a document id was read from in this run (its own text, for offsets and pages). */
  documentOf(docId: string): ExtractedDocument;
}

/** Caches per run: a chunk's normalised text and its citation outcome are the same for every question. */
export class ScoringCache {
  readonly chunkText = new Map<string, NormalizedText>();
  readonly citations = new Map<string, Promise<CitationOutcome>>();
}

export interface ScoredQuestion {
  record: QueryRecord;
  ir: QuestionIrMetrics | null;
  semantic: number | null;
  citations: number;
  citationsVerified: number;
}

/** Judges one question's ranked chunks: relevance, answer, citations, metrics. */
export async function scoreQuestion(
  run: string,
  q: GoldenQuestion,
  ranked: readonly ScoredChunk[],
  searchMs: number,
  ctx: ScoringContext,
  cache: ScoringCache,
): Promise<ScoredQuestion> {
  const pageOf = (docId: string, offset: number): number => pageAt(ctx.documentOf(docId), offset);
  const hits = toHits(ranked.slice(0, IR_DEPTH), { query: q.question, pageOf });
  const judged = await Promise.all(
    hits.map(async (hit, i) => {
      const chunk = (ranked[i] as ScoredChunk).chunk;
      const covers = ctx.judge.covers(chunk, q.evidence);
      let text = cache.chunkText.get(chunk.id);
      if (!text) {
        text = new NormalizedText(chunk.text);
        cache.chunkText.set(chunk.id, text);
      }
      const normalized = text;
      const containsAnswer = q.answers.some((a) => normalized.contains(a));
      let verified = false;
      if (hit.rank <= ctx.k) {
        const key = JSON.stringify(hit.citation);
        let outcome = cache.citations.get(key);
        if (!outcome) {
          outcome = ctx.verifier.verify(hit.citation, ctx.documentOf(chunk.docId));
          cache.citations.set(key, outcome);
        }
        verified = (await outcome).verified;
      }
      return { hit, covers, containsAnswer, verified };
    }),
  );
  const topK = judged.filter((j) => j.hit.rank <= ctx.k);
  const citationsVerified = topK.filter((j) => j.verified).length;
  const metrics: Record<string, number> = {};
  const failed: string[] = [];
  if (topK.length > 0) {
    metrics.citationAccuracy = citationsVerified / topK.length;
    if (citationsVerified < topK.length) failed.push('citationAccuracy');
  }
  let ir: QuestionIrMetrics | null = null;
  let semantic: number | null = null;
  if (q.answerable) {
    ir = questionIrMetrics(judged, q.evidence.length);
    semantic = topK.some((j) => j.covers.length > 0 && j.containsAnswer) ? 1 : 0;
    Object.assign(metrics, ir, { semanticAccuracy: semantic });
    if (semantic === 0) failed.push('semanticAccuracy');
    if (ir.hitAt1 === 0) failed.push('hitAt1');
    if (ir.recallAt5 < 1) failed.push('recallAt5');
  }
  const record: QueryRecord = {
    run,
    questionId: q.id,
    question: q.question,
    answerable: q.answerable,
    answers: q.answers,
    evidence: q.evidence,
    hits: topK.map((j) => ({
      ...j.hit,
      relevant: j.covers.length > 0,
      containsAnswer: j.containsAnswer,
      citationVerified: j.verified,
    })),
    metrics,
    failed,
    searchMs,
  };
  return { record, ir, semantic, citations: topK.length, citationsVerified };
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);

/** Run-level accuracy from its scored questions. Citation accuracy pools every citation. */
export function aggregateAccuracy(k: number, scored: readonly ScoredQuestion[], judge: RelevanceJudge): AccuracyStats {
  const answerable = scored.filter((s) => s.ir !== null);
  const ir = answerable.map((s) => s.ir as QuestionIrMetrics);
  const citations = scored.reduce((a, s) => a + s.citations, 0);
  const citationsVerified = scored.reduce((a, s) => a + s.citationsVerified, 0);
  return {
    k,
    citationAccuracy: citations === 0 ? 0 : citationsVerified / citations,
    citations,
    citationsVerified,
    semanticAccuracy: mean(answerable.map((s) => s.semantic as number)),
    hitAt1: mean(ir.map((m) => m.hitAt1)),
    recallAt5: mean(ir.map((m) => m.recallAt5)),
    recallAt10: mean(ir.map((m) => m.recallAt10)),
    mrrAt10: mean(ir.map((m) => m.mrrAt10)),
    ndcgAt10: mean(ir.map((m) => m.ndcgAt10)),
    questions: answerable.length,
    evidenceLocated: judge.locatedExact,
    evidenceFuzzy: judge.locatedFuzzy,
  };
}
