import { pageAt } from '../extract/pages.ts';
import type { ExtractedDocument } from '../extract/types.ts';
import type { GoldenQuestion } from './golden.ts';
import { toHits } from '../retrieve/citations.ts';
import type { ScoredChunk } from '../retrieve/types.ts';
import { auroc } from '../stats/auroc.ts';
import type { AccuracyStats, PerQuestion, QueryRecord } from '../summary/schema.ts';
import { judgeAnswerCitation, type AnswerCitationVerdict } from './answer-citation.ts';
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

/** Caches per run: a citation's outcome is the same for every question that retrieves it. */
export class ScoringCache {
  readonly citations = new Map<string, Promise<CitationOutcome>>();
}

/** What one question contributes to a run's accuracy (and to its per-question outcomes). */
export interface QuestionOutcome {
  answerable: boolean;
  /** Retrieval metrics over the top IR_DEPTH hits; null for an unanswerable question. */
  ir: QuestionIrMetrics | null;
  /** 1 when some top-k hit supports the question; null for an unanswerable question. */
  semantic: number | null;
  /** v1's rule (overlap by half the shorter span + contains an answer); null for an unanswerable question. */
  passageOverlap: number | null;
  /** The answer citation's rank and verdict; null when no top-k hit contains a gold answer. */
  answerCitation: (AnswerCitationVerdict & { rank: number }) | null;
  /** Top-k citations returned and how many verified (citationFaithfulness). */
  citations: number;
  citationsVerified: number;
  /** Score of the top-1 hit; null when the retriever returned nothing. */
  topScore: number | null;
}

export interface ScoredQuestion extends QuestionOutcome {
  record: QueryRecord;
}

/** Judges one question's ranked chunks: support, answers, citations, metrics. */
export async function scoreQuestion(
  run: string,
  q: GoldenQuestion,
  ranked: readonly ScoredChunk[],
  searchMs: number,
  ctx: ScoringContext,
  cache: ScoringCache,
): Promise<ScoredQuestion> {
  const { judge } = ctx;
  const pageOf = (docId: string, offset: number): number => pageAt(ctx.documentOf(docId), offset);
  const hits = toHits(ranked.slice(0, IR_DEPTH), { query: q.question, pageOf });
  const judged = await Promise.all(
    hits.map(async (hit, i) => {
      const chunk = (ranked[i] as ScoredChunk).chunk;
      const covers = q.answerable ? judge.supports(chunk, q) : [];
      const overlapping = q.answerable ? judge.overlaps(chunk, q) : [];
      const containsAnswer = q.answers.length > 0 && judge.containsAnswer(chunk, q.answers);
      let verification: CitationOutcome | null = null;
      if (hit.rank <= ctx.k) {
        const key = JSON.stringify(hit.citation);
        let outcome = cache.citations.get(key);
        if (!outcome) {
          outcome = ctx.verifier.verify(hit.citation, ctx.documentOf(chunk.docId));
          cache.citations.set(key, outcome);
        }
        verification = await outcome;
      }
      return { hit, chunk, covers, overlapping, containsAnswer, verification };
    }),
  );
  const topK = judged.filter((j) => j.hit.rank <= ctx.k);
  const citationsVerified = topK.filter((j) => j.verification?.verified === true).length;
  const metrics: Record<string, number> = {};
  const failed: string[] = [];
  if (topK.length > 0) {
    metrics.citationFaithfulness = citationsVerified / topK.length;
    if (citationsVerified < topK.length) failed.push('citationFaithfulness');
  }
  let ir: QuestionIrMetrics | null = null;
  let semantic: number | null = null;
  let passageOverlap: number | null = null;
  let answerCitation: QuestionOutcome['answerCitation'] = null;
  if (q.answerable) {
    // Recall and nDCG count the passages a hit could support: those holding a gold answer.
    const passages = judge.passages(q).filter((p) => p.holdsAnswer).length;
    ir = questionIrMetrics(judged, passages);
    semantic = topK.some((j) => j.covers.length > 0) ? 1 : 0;
    passageOverlap = topK.some((j) => j.overlapping.length > 0 && j.containsAnswer) ? 1 : 0;
    const cited = topK.find((j) => j.containsAnswer);
    if (cited) {
      const verdict = judgeAnswerCitation(cited.hit.citation, cited.chunk, cited.verification as CitationOutcome, q, judge);
      answerCitation = { rank: cited.hit.rank, ...verdict };
      metrics.citationAccuracy = verdict.correct ? 1 : 0;
      if (!verdict.correct) failed.push('citationAccuracy');
    }
    Object.assign(metrics, ir, { semanticAccuracy: semantic, passageOverlapAccuracy: passageOverlap });
    if (semantic === 0) failed.push('semanticAccuracy');
    if (ir.hitAt1 === 0) failed.push('hitAt1');
    if (ir.recallAt5 < 1) failed.push('recallAt5');
  }
  const topScore = hits[0]?.score ?? null;
  const record: QueryRecord = {
    run,
    questionId: q.id,
    question: q.question,
    answerable: q.answerable,
    answers: q.answers,
    evidence: q.evidence.map((e) => ({ doc: e.doc, page: e.page, pageEnd: e.pageEnd, text: e.text })),
    hits: topK.map((j) => ({
      ...j.hit,
      relevant: j.covers.length > 0,
      containsAnswer: j.containsAnswer,
      citationVerified: j.verification?.verified === true,
    })),
    ...(answerCitation && { answerCitation }),
    topScore,
    metrics,
    failed,
    searchMs,
  };
  return {
    record,
    answerable: q.answerable,
    ir,
    semantic,
    passageOverlap,
    answerCitation,
    citations: topK.length,
    citationsVerified,
    topScore,
  };
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const ratio = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);

/**
 * Top-1 scores ready for `auroc`: a question with no hit (null) ranks below every scored one,
 * since the pipeline found nothing. Use it wherever noAnswerAuroc is recomputed from
 * `perQuestion.topScore` (bootstrap intervals, paired tests) so the figures agree.
 */
export function aurocScores(topScores: readonly (number | null)[]): number[] {
  const finite = topScores.filter((s): s is number => s !== null && Number.isFinite(s));
  const floor = finite.length === 0 ? 0 : Math.min(...finite) - 1;
  return topScores.map((s) => (s !== null && Number.isFinite(s) ? s : floor));
}

/** Area under the ROC curve of the top-1 score as a detector of answerable questions; null with one kind. */
export function noAnswerAuroc(outcomes: readonly Pick<QuestionOutcome, 'answerable' | 'topScore'>[]): number | null {
  return auroc(
    aurocScores(outcomes.map((o) => o.topScore)),
    outcomes.map((o) => o.answerable),
  );
}

/**
 * Run-level accuracy from its scored questions. `intervals` is left empty: confidence
 * intervals are computed from the per-question outcomes (perQuestionOutcomes) elsewhere.
 */
export function aggregateAccuracy(k: number, scored: readonly QuestionOutcome[], judge: RelevanceJudge): AccuracyStats {
  const answerable = scored.filter((s) => s.answerable);
  const ir = answerable.map((s) => s.ir as QuestionIrMetrics);
  const citations = scored.reduce((a, s) => a + s.citations, 0);
  const citationsVerified = scored.reduce((a, s) => a + s.citationsVerified, 0);
  const answerCitations = answerable.filter((s) => s.answerCitation !== null);
  const answerCitationsCorrect = answerCitations.filter((s) => s.answerCitation?.correct === true).length;
  return {
    k,
    citationAccuracy: ratio(answerCitationsCorrect, answerCitations.length),
    answerCitations: answerCitations.length,
    answerCitationsCorrect,
    citationFaithfulness: ratio(citationsVerified, citations),
    citations,
    citationsVerified,
    semanticAccuracy: mean(answerable.map((s) => s.semantic as number)),
    hitAt1: mean(ir.map((m) => m.hitAt1)),
    recallAt5: mean(ir.map((m) => m.recallAt5)),
    recallAt10: mean(ir.map((m) => m.recallAt10)),
    mrrAt10: mean(ir.map((m) => m.mrrAt10)),
    ndcgAt10: mean(ir.map((m) => m.ndcgAt10)),
    passageOverlapAccuracy: mean(answerable.map((s) => s.passageOverlap as number)),
    noAnswerAuroc: noAnswerAuroc(scored),
    questions: answerable.length,
    unanswerable: scored.length - answerable.length,
    evidenceLocated: judge.locatedExact,
    evidenceFuzzy: judge.locatedFuzzy,
    intervals: {},
  };
}

/** Accuracy metrics that are the mean of a per-question value (nulls: the metric does not apply). */
export const MEAN_METRICS = [
  'semanticAccuracy',
  'citationAccuracy',
  'hitAt1',
  'recallAt5',
  'recallAt10',
  'mrrAt10',
  'ndcgAt10',
  'passageOverlapAccuracy',
] as const;

/** The metrics perQuestionOutcomes records, in summary.json `runs[].perQuestion`. */
export const PER_QUESTION_METRICS = [...MEAN_METRICS, 'citations', 'citationsVerified', 'topScore'] as const;

/**
 * Per-question outcomes aligned with `scored` (index i = the i-th question scored): what
 * paired tests and bootstrap intervals resample. null where a metric does not apply: IR and
 * semantic metrics on unanswerable questions, citationAccuracy without an answer citation,
 * topScore without a hit. citations / citationsVerified are counts, so citationFaithfulness
 * is their ratio of sums.
 */
export function perQuestionOutcomes(scored: readonly QuestionOutcome[]): PerQuestion {
  const column = (f: (s: QuestionOutcome) => number | null): (number | null)[] => scored.map(f);
  const answerCitation = (s: QuestionOutcome): number | null => (s.answerCitation === null ? null : s.answerCitation.correct ? 1 : 0);
  return {
    semanticAccuracy: column((s) => s.semantic),
    citationAccuracy: column(answerCitation),
    hitAt1: column((s) => s.ir?.hitAt1 ?? null),
    recallAt5: column((s) => s.ir?.recallAt5 ?? null),
    recallAt10: column((s) => s.ir?.recallAt10 ?? null),
    mrrAt10: column((s) => s.ir?.mrrAt10 ?? null),
    ndcgAt10: column((s) => s.ir?.ndcgAt10 ?? null),
    passageOverlapAccuracy: column((s) => s.passageOverlap),
    citations: column((s) => s.citations),
    citationsVerified: column((s) => s.citationsVerified),
    topScore: column((s) => s.topScore),
  } satisfies Record<(typeof PER_QUESTION_METRICS)[number], (number | null)[]>;
}

/** Both at once, for the runner: `const { accuracy, perQuestion } = summarizeAccuracy(k, scored, judge)`. */
export function summarizeAccuracy(
  k: number,
  scored: readonly QuestionOutcome[],
  judge: RelevanceJudge,
): { accuracy: AccuracyStats; perQuestion: PerQuestion } {
  return { accuracy: aggregateAccuracy(k, scored, judge), perQuestion: perQuestionOutcomes(scored) };
}
