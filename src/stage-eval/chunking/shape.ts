/**
 * What a chunker made of a corpus: how big its chunks are (characters and words) and how
 * many cut a sentence, with sentences as src/chunk/sentences.ts splits them (the splitter the
 * sentence chunker uses).
 */
import { sentences } from '../../chunk/sentences.ts';
import { trimSpan } from '../../chunk/span.ts';
import type { Chunk } from '../../chunk/types.ts';
import type { ExtractedDocument } from '../../extract/types.ts';
import { quantileSorted } from '../../stats/quantile.ts';
import type { ChunkShape, SizeDistribution } from './schema.ts';
import { countWords } from './tokens.ts';

export function sizeDistribution(values: readonly number[]): SizeDistribution | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const q = (p: number): number => quantileSorted(sorted, p);
  return {
    min: sorted[0] as number,
    p10: q(0.1),
    p50: q(0.5),
    p90: q(0.9),
    max: sorted[sorted.length - 1] as number,
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

/** Where a document's sentences start and end. */
interface SentenceBounds {
  starts: Set<number>;
  ends: Set<number>;
}

function sentenceBounds(doc: ExtractedDocument): SentenceBounds {
  const spans = sentences(doc.text);
  return { starts: new Set(spans.map((s) => s.start)), ends: new Set(spans.map((s) => s.end)) };
}

/**
 * A chunk cuts a sentence when, whitespace trimmed, it starts where no sentence starts or
 * ends where no sentence ends.
 */
export function chunkShape(documents: ReadonlyMap<string, ExtractedDocument>, chunks: readonly Chunk[]): ChunkShape {
  const bounds = new Map<string, SentenceBounds>();
  const boundsOf = (docId: string): SentenceBounds => {
    let b = bounds.get(docId);
    if (!b) {
      const doc = documents.get(docId);
      if (!doc) throw new Error(`chunk shape: chunk of document "${docId}", which is not among the extractions given`);
      b = sentenceBounds(doc);
      bounds.set(docId, b);
    }
    return b;
  };
  let startsMidSentence = 0;
  let endsMidSentence = 0;
  let cutSentence = 0;
  for (const c of chunks) {
    const b = boundsOf(c.docId);
    const span = trimSpan((documents.get(c.docId) as ExtractedDocument).text, { start: c.charStart, end: c.charEnd });
    const badStart = !span || !b.starts.has(span.start);
    const badEnd = !span || !b.ends.has(span.end);
    if (badStart) startsMidSentence++;
    if (badEnd) endsMidSentence++;
    if (badStart || badEnd) cutSentence++;
  }
  return {
    chunks: chunks.length,
    chars: sizeDistribution(chunks.map((c) => c.charEnd - c.charStart)),
    tokens: sizeDistribution(chunks.map((c) => countWords(c.text))),
    startsMidSentence,
    endsMidSentence,
    cutSentence,
    cutSentenceShare: chunks.length === 0 ? null : cutSentence / chunks.length,
  };
}
