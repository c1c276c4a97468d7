import { pageAt } from '../extract/pages.ts';
import type { ExtractedDocument } from '../extract/types.ts';
import { contentTokens, findOccurrences, locate, NormalizedText, overlapCoefficient, type Span } from '../text/normalize.ts';
import type { AnswerOccurrence } from './golden-schema.ts';

/** An evidence passage of a question (golden format). */
export interface EvidencePassage {
  doc: string;
  page: number;
  pageEnd: number;
  text: string;
  /** Where the answers occur in `text` (e.g. SQuAD's answer_start), when the golden set says. */
  answers?: readonly AnswerOccurrence[];
}

/** What relevance needs of a question. */
export interface JudgedQuestion {
  answers: readonly string[];
  evidence: readonly EvidencePassage[];
}

/** A span of one extraction a hit offers: a chunk, or the quote of its citation. */
export interface TextSpan {
  docId: string;
  charStart: number;
  charEnd: number;
  text: string;
}

/** Where an evidence passage lies in one extraction of its document. */
export interface LocatedEvidence {
  doc: string;
  /** Exact span in the extracted text, or null when the text could not be found verbatim. */
  span: Span | null;
  tokens: Set<string>;
}

/** One evidence passage of one question, judged in the run's extraction. */
export interface JudgedPassage extends LocatedEvidence {
  /** The gold answer occurrences inside the located passage, as spans of the extraction (none when fuzzy). */
  occurrences: Span[];
  /** The answers that count for this passage: its own offsets' texts, else the question's. */
  answers: readonly string[];
  /** Whether a hit can support the question through this passage: it holds a gold answer. */
  holdsAnswer: boolean;
  /** Pages of the answer occurrences in the extraction; a fuzzy passage's gold page range. */
  answerPages: number[];
}

/** Fallback when a passage is not found verbatim: content-token overlap coefficient. */
export const TOKEN_OVERLAP = 0.6;
/** v1's rule (passageOverlapAccuracy): share of the shorter of (hit, passage) that must overlap. */
export const SPAN_OVERLAP = 0.5;

export const RELEVANCE_RULE =
  `a hit supports a question when it is in the document of an evidence passage and its character span ` +
  `[charStart, charEnd) covers an occurrence of a gold answer inside that passage: the passage is located in ` +
  `the run's own extraction after golden-format normalisation, and the answer is found within it on token ` +
  `boundaries (the occurrence nearest the golden set's answer offset when the evidence gives one, otherwise ` +
  `every occurrence). When a passage cannot be located verbatim, the hit supports it when their content-token ` +
  `overlap coefficient is >= ${TOKEN_OVERLAP} and the hit contains a gold answer on token boundaries. ` +
  `semanticAccuracy: some top-k hit supports the question; hitAt1, recall@k, MRR@10 and nDCG@10 apply the same ` +
  `rule per passage, over the passages that hold an answer. passageOverlapAccuracy keeps v1's rule: some top-k ` +
  `hit overlaps a passage by >= ${SPAN_OVERLAP} of the shorter span and contains a gold answer`;

const spanKey = (s: TextSpan): string => `${s.docId}\u0000${s.charStart}\u0000${s.charEnd}`;

/**
 * Judges whether hits support questions. Passages are located once per extraction (documents
 * are looked up by id) and cached, since every run re-judges the same questions; a question's
 * answer occurrences are found once per question.
 */
export class RelevanceJudge {
  private readonly located = new Map<string, LocatedEvidence>();
  private readonly judged = new WeakMap<JudgedQuestion, JudgedPassage[]>();
  private readonly spanTokens = new Map<string, Set<string>>();
  private readonly spanTexts = new Map<string, NormalizedText>();
  /** Evidence passages found verbatim in the extraction vs. judged by token overlap. */
  locatedExact = 0;
  locatedFuzzy = 0;

  constructor(private readonly documents: ReadonlyMap<string, ExtractedDocument>) {}

  locate(passage: Pick<EvidencePassage, 'doc' | 'text'>): LocatedEvidence {
    const key = `${passage.doc}\u0000${passage.text}`;
    let found = this.located.get(key);
    if (!found) {
      const doc = this.documents.get(passage.doc);
      const span = doc ? locate(doc.text, passage.text) : null;
      found = { doc: passage.doc, span, tokens: contentTokens(passage.text) };
      if (span) this.locatedExact++;
      else this.locatedFuzzy++;
      this.located.set(key, found);
    }
    return found;
  }

  /** The question's evidence passages with their answer occurrences in this extraction. */
  passages(q: JudgedQuestion): JudgedPassage[] {
    let out = this.judged.get(q);
    if (!out) {
      out = q.evidence.map((e) => this.judgePassage(e, q.answers));
      this.judged.set(q, out);
    }
    return out;
  }

  /** Indices of the question's passages this span supports. */
  supports(span: TextSpan, q: JudgedQuestion): number[] {
    const out: number[] = [];
    this.passages(q).forEach((p, i) => {
      if (p.doc !== span.docId || !p.holdsAnswer) return;
      const ok = p.span
        ? p.occurrences.some((o) => span.charStart <= o.start && o.end <= span.charEnd)
        : overlapCoefficient(this.tokensOf(span), p.tokens) >= TOKEN_OVERLAP && this.containsAnswer(span, p.answers);
      if (ok) out.push(i);
    });
    return out;
  }

  /** v1's rule: indices of the passages the span overlaps by half the shorter span (token overlap when fuzzy). */
  overlaps(span: TextSpan, q: JudgedQuestion): number[] {
    const out: number[] = [];
    this.passages(q).forEach((p, i) => {
      if (p.doc !== span.docId) return;
      let ok: boolean;
      if (p.span) {
        const shared = Math.min(span.charEnd, p.span.end) - Math.max(span.charStart, p.span.start);
        const shorter = Math.min(span.charEnd - span.charStart, p.span.end - p.span.start);
        ok = shared > 0 && shared >= SPAN_OVERLAP * shorter;
      } else {
        ok = overlapCoefficient(this.tokensOf(span), p.tokens) >= TOKEN_OVERLAP;
      }
      if (ok) out.push(i);
    });
    return out;
  }

  /** Whether the span's text contains one of `answers` on token boundaries. */
  containsAnswer(span: TextSpan, answers: readonly string[]): boolean {
    const key = spanKey(span);
    let text = this.spanTexts.get(key);
    if (!text) {
      text = new NormalizedText(span.text);
      this.spanTexts.set(key, text);
    }
    const normalized = text;
    return answers.some((a) => normalized.containsWord(a));
  }

  private tokensOf(span: TextSpan): Set<string> {
    const key = spanKey(span);
    let tokens = this.spanTokens.get(key);
    if (!tokens) {
      tokens = contentTokens(span.text);
      this.spanTokens.set(key, tokens);
    }
    return tokens;
  }

  private judgePassage(e: EvidencePassage, questionAnswers: readonly string[]): JudgedPassage {
    const located = this.locate(e);
    const answers = e.answers ? [...new Set(e.answers.map((a) => a.text))] : questionAnswers;
    const doc = this.documents.get(e.doc);
    if (!located.span || !doc) {
      const text = new NormalizedText(e.text);
      const holdsAnswer = answers.some((a) => text.containsWord(a));
      const answerPages = holdsAnswer ? range(e.page, e.pageEnd) : [];
      return { ...located, occurrences: [], answers, holdsAnswer, answerPages };
    }
    const occurrences = answerOccurrences(doc.text, located.span, e, answers);
    const answerPages = [...new Set(occurrences.map((o) => pageAt(doc, o.start)))].sort((a, b) => a - b);
    return { ...located, occurrences, answers, holdsAnswer: occurrences.length > 0, answerPages };
  }
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/**
 * The answers' occurrences inside the passage at `span` of the extraction `text`, as spans of
 * it. With answer offsets (into the golden passage text), each offset picks one occurrence:
 * the one with the same ordinal as the gold occurrence nearest the offset, or, when the
 * extraction has a different number of occurrences, the one at the nearest relative position.
 */
function answerOccurrences(text: string, span: Span, e: EvidencePassage, answers: readonly string[]): Span[] {
  const passage = text.slice(span.start, span.end);
  const shift = (s: Span): Span => ({ start: s.start + span.start, end: s.end + span.start });
  if (!e.answers) return dedupe(answers.flatMap((a) => findOccurrences(passage, a).map(shift)));
  const picked: Span[] = [];
  for (const a of e.answers) {
    const inExtraction = findOccurrences(passage, a.text);
    if (inExtraction.length === 0) continue;
    const inGold = findOccurrences(e.text, a.text);
    const j = nearest(inGold.map((o) => o.start), a.start);
    const chosen =
      j >= 0 && inGold.length === inExtraction.length
        ? inExtraction[j]
        : inExtraction[nearest(inExtraction.map((o) => o.start / passage.length), (j >= 0 ? (inGold[j] as Span).start : a.start) / e.text.length)];
    if (chosen) picked.push(shift(chosen));
  }
  return dedupe(picked);
}

/** Index of the value nearest `target` (the first on ties); -1 for none. */
function nearest(values: readonly number[], target: number): number {
  let best = -1;
  values.forEach((v, i) => {
    if (best < 0 || Math.abs(v - target) < Math.abs((values[best] as number) - target)) best = i;
  });
  return best;
}

function dedupe(spans: readonly Span[]): Span[] {
  const seen = new Map(spans.map((s) => [`${s.start}:${s.end}`, s]));
  return [...seen.values()].sort((a, b) => a.start - b.start || a.end - b.end);
}
