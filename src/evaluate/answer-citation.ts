import type { Citation } from '../retrieve/types.ts';
import type { CitationOutcome } from './citations.ts';
import type { JudgedQuestion, RelevanceJudge, TextSpan } from './relevance.ts';

export interface AnswerCitationVerdict {
  correct: boolean;
  /** Why it is wrong, naming what was cited and where the gold evidence is. */
  reason?: string;
}

/** The citation rules as text, for summary.json `settings.citation`. */
export const CITATION_RULE =
  `citationAccuracy: per answerable question, the answer citation is the first top-k hit whose text contains a ` +
  `gold answer on token boundaries; it is correct when (1) it cites the document of the gold evidence and its ` +
  `pages include the page of the answer's occurrence in that evidence (the page of the occurrence's offset in ` +
  `the run's extraction; a passage not located verbatim gives its gold page range), (2) its citation verifies, ` +
  `and (3) its quote supports the question (the relevance rule); citationAccuracy = correct / questions with an ` +
  `answer citation. A citation verifies when the quote is the text at [charStart, charEnd) of the run's own ` +
  `extraction, those characters lie exactly on pages page..pageEnd, and the quote appears on those pages as read ` +
  `by a second extractor (mupdf, or pdfjs when the chunk came from mupdf). citationFaithfulness: of every top-k ` +
  `citation of every question, the fraction that verifies`;

const wrong = (reason: string): AnswerCitationVerdict => ({ correct: false, reason });

function pageList(pages: readonly number[]): string {
  return pages.length === 1 ? `page ${pages[0]}` : `pages ${pages.join(', ')}`;
}

/**
 * Judges the citation offered for an answer (the first top-k hit containing a gold answer):
 * correct when it cites the gold evidence's document and the page of the answer's occurrence
 * in it, verifies (`verification`, from CitationVerifier), and its quote supports the question.
 * The checks run in that order, so the reason names the first thing wrong. `chunk` is the hit's
 * whole chunk: it tells a quote window that left the answer out from an unrelated paragraph.
 */
export function judgeAnswerCitation(
  citation: Citation,
  chunk: TextSpan,
  verification: CitationOutcome,
  q: JudgedQuestion,
  judge: RelevanceJudge,
): AnswerCitationVerdict {
  const gold = judge.passages(q).filter((p) => p.holdsAnswer);
  if (gold.length === 0) return wrong('no gold answer occurs in the evidence as this run extracted it');
  const inDoc = gold.filter((p) => p.doc === citation.doc);
  if (inDoc.length === 0) {
    return wrong(`cites ${citation.doc}; the gold evidence is in ${[...new Set(gold.map((p) => p.doc))].join(', ')}`);
  }
  const pages = [...new Set(inDoc.flatMap((p) => p.answerPages))].sort((a, b) => a - b);
  if (!pages.some((p) => p >= citation.page && p <= citation.pageEnd)) {
    const one = pages.length === 1;
    return wrong(
      `cites pages ${citation.page}-${citation.pageEnd}; the answer's ${one ? 'occurrence' : 'occurrences'} in the gold evidence ` +
        `${one ? 'is' : 'are'} on ${pageList(pages)}`,
    );
  }
  if (!verification.verified) return wrong(verification.reason);
  const quote: TextSpan = { docId: citation.doc, charStart: citation.charStart, charEnd: citation.charEnd, text: citation.quote };
  if (judge.supports(quote, q).length > 0) return { correct: true };
  if (judge.supports(chunk, q).length > 0) {
    return wrong("the quote, a window of a longer chunk, leaves out the answer's occurrence in the gold evidence");
  }
  return wrong('answer found outside the gold evidence: does not support the question');
}
