import { pageAt } from '../extract/pages.ts';
import type { ExtractedDocument } from '../extract/types.ts';
import { trimSpan, type Span } from './span.ts';
import type { Chunk } from './types.ts';

/** The id a chunk keeps across runs: the same document and offsets give the same id. */
export function chunkId(docId: string, span: Span): string {
  return `${docId}:${span.start}-${span.end}`;
}

/**
 * Chunks for spans of `doc.text`, each trimmed of surrounding whitespace; spans with nothing
 * else are dropped, as is a repeat of a span already made. Text is sliced from the document,
 * never rebuilt, so `doc.text.slice(charStart, charEnd) === text` holds by construction.
 */
export function buildChunks(doc: ExtractedDocument, spans: Iterable<Span>): Chunk[] {
  const chunks: Chunk[] = [];
  const seen = new Set<string>();
  for (const raw of spans) {
    const span = trimSpan(doc.text, raw);
    if (!span) continue;
    const id = chunkId(doc.docId, span);
    if (seen.has(id)) continue;
    seen.add(id);
    chunks.push({
      id,
      docId: doc.docId,
      text: doc.text.slice(span.start, span.end),
      charStart: span.start,
      charEnd: span.end,
      page: pageAt(doc, span.start),
      pageEnd: pageAt(doc, span.end - 1),
      extractor: doc.extractor,
    });
  }
  return chunks;
}
