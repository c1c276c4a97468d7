/**
 * Every chunk of a run, by document and start offset, to answer "does any chunk of this run
 * support the question?" without judging every chunk against every failed question.
 */
import type { Chunk } from '../../chunk/types.ts';
import type { JudgedQuestion, RelevanceJudge } from '../../evaluate/relevance.ts';
import type { Span } from '../../text/normalize.ts';

interface DocumentChunks {
  /** Sorted by charStart. */
  chunks: Chunk[];
  /** maxEnd[i]: the furthest charEnd of chunks[0..i], to stop a backward scan early. */
  maxEnd: number[];
}

export class ChunkIndex {
  private readonly byDoc = new Map<string, DocumentChunks>();

  constructor(chunks: readonly Chunk[]) {
    const grouped = new Map<string, Chunk[]>();
    for (const c of chunks) {
      const list = grouped.get(c.docId) ?? [];
      list.push(c);
      grouped.set(c.docId, list);
    }
    for (const [doc, list] of grouped) {
      list.sort((a, b) => a.charStart - b.charStart);
      let furthest = -1;
      const maxEnd = list.map((c) => (furthest = Math.max(furthest, c.charEnd)));
      this.byDoc.set(doc, { chunks: list, maxEnd });
    }
  }

  /** The chunks of `docId` whose span contains `span` whole. */
  covering(docId: string, span: Span): Chunk[] {
    const d = this.byDoc.get(docId);
    if (!d) return [];
    const out: Chunk[] = [];
    // Last chunk starting at or before span.start, then back while some earlier chunk could still reach span.end.
    let lo = 0;
    let hi = d.chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((d.chunks[mid] as Chunk).charStart <= span.start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && (d.maxEnd[i] as number) >= span.end; i--) {
      const c = d.chunks[i] as Chunk;
      if (c.charEnd >= span.end) out.push(c);
    }
    return out;
  }

  /**
   * Whether some chunk of the run supports the question by the relevance rule: through a
   * located passage, a chunk covering an answer occurrence; through a passage located only
   * fuzzily, any chunk of its document the judge accepts (token overlap and an answer).
   */
  anySupports(q: JudgedQuestion, judge: RelevanceJudge): boolean {
    return judge.passages(q).some((p) => {
      if (!p.holdsAnswer) return false;
      const candidates = p.span ? p.occurrences.flatMap((o) => this.covering(p.doc, o)) : (this.byDoc.get(p.doc)?.chunks ?? []);
      return candidates.some((c) => judge.supports(c, q).length > 0);
    });
  }
}
