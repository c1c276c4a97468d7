import type { Chunk } from '../chunk/types.ts';
import type { ExtractedDocument } from '../extract/types.ts';
import { contentTokens, locate, overlapCoefficient, type Span } from '../text/normalize.ts';

export interface EvidencePassage {
  doc: string;
  text: string;
}

/** Where an evidence passage lies in one extraction of its document. */
interface LocatedEvidence {
  doc: string;
  /** Exact span in the extracted text, or null when the text could not be found verbatim. */
  span: Span | null;
  tokens: Set<string>;
}

/** Minimum share of the shorter of (chunk, passage) that must overlap for the chunk to count. */
export const SPAN_OVERLAP = 0.5;
/** Fallback when a passage is not found verbatim: content-token overlap coefficient. */
export const TOKEN_OVERLAP = 0.6;

export const RELEVANCE_RULE =
  `a hit is relevant to an evidence passage when both are in the same document and their character spans ` +
  `overlap by at least ${SPAN_OVERLAP} of the shorter one (passage located in the extracted text after ` +
  `golden-format normalisation); when a passage cannot be located verbatim, content-token overlap ` +
  `coefficient >= ${TOKEN_OVERLAP}`;

/**
 * Judges whether chunks cover evidence passages. Passages are located once per extraction
 * (documents are looked up by id) and cached, since every run re-judges the same questions.
 */
export class RelevanceJudge {
  private readonly located = new Map<string, LocatedEvidence>();
  private readonly chunkTokens = new Map<string, Set<string>>();
  /** Evidence passages found verbatim in the extraction vs. judged by token overlap. */
  locatedExact = 0;
  locatedFuzzy = 0;

  constructor(private readonly documents: ReadonlyMap<string, ExtractedDocument>) {}

  locate(passage: EvidencePassage): LocatedEvidence {
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

  /** Indices of the passages this chunk covers. */
  covers(chunk: Chunk, passages: readonly EvidencePassage[]): number[] {
    const out: number[] = [];
    passages.forEach((p, i) => {
      if (p.doc === chunk.docId && this.overlaps(chunk, this.locate(p))) out.push(i);
    });
    return out;
  }

  private overlaps(chunk: Chunk, ev: LocatedEvidence): boolean {
    if (ev.span) {
      const shared = Math.min(chunk.charEnd, ev.span.end) - Math.max(chunk.charStart, ev.span.start);
      const shorter = Math.min(chunk.charEnd - chunk.charStart, ev.span.end - ev.span.start);
      return shared > 0 && shared >= SPAN_OVERLAP * shorter;
    }
    let tokens = this.chunkTokens.get(chunk.id);
    if (!tokens) {
      tokens = contentTokens(chunk.text);
      this.chunkTokens.set(chunk.id, tokens);
    }
    return overlapCoefficient(tokens, ev.tokens) >= TOKEN_OVERLAP;
  }
}
