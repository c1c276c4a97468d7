import { z } from 'zod';
import { pageAt } from '../extract/pages.ts';
import type { ExtractedDocument } from '../extract/types.ts';
import { buildChunks } from './build.ts';
import { boundedSentences } from './recursive.ts';
import { sentenceWindows } from './sentence.ts';
import { paragraphs } from './sentences.ts';
import type { Span } from './span.ts';
import type { Chunk, Chunker } from './types.ts';

export const paragraphOptionsSchema = z.strictObject({
  /**
   * Rejoin a paragraph that a page break cut in two: the piece before the break does not end a
   * sentence. The chunk then spans both pages and cites both.
   */
  joinPages: z.boolean().default(true),
  /**
   * Longest chunk, in characters: a longer paragraph is cut into windows of whole sentences.
   * The default is the citation quote limit (DEFAULT_MAX_QUOTE_CHARS), so every hit is quoted
   * whole; a longer chunk is quoted by a window that may leave the answer out.
   */
  maxChars: z.int().positive().default(1000),
});

export type ParagraphOptions = z.output<typeof paragraphOptionsSchema>;

/** A sentence ends here: terminal punctuation, possibly inside closing quotes or brackets. */
const ENDS_SENTENCE = /[.!?…:;]["'”’)\]]*$/u;

/**
 * One chunk per paragraph, as the extractor laid the text out (a blank line between
 * paragraphs: every extractor writes one, and the layout-aware ones rebuild it from vertical
 * gaps). A paragraph is the unit a writer made to be read alone, so it is what a hit hands over.
 */
export class ParagraphChunker implements Chunker {
  readonly id: string;

  constructor(private readonly options: ParagraphOptions) {
    this.id = `paragraph(joinPages=${options.joinPages},maxChars=${options.maxChars})`;
  }

  async chunk(doc: ExtractedDocument): Promise<Chunk[]> {
    const { joinPages, maxChars } = this.options;
    const blocks = paragraphBlocks(doc, joinPages);
    // Only a paragraph longer than maxChars needs the sentences, so they are found at most once.
    let units: Span[] | undefined;
    const sentencesOf = (block: Span): Span[] => {
      units ??= boundedSentences(doc.text, maxChars);
      // Sentences never cross a paragraph break, so a rejoined block is split on its own sentences.
      return units.filter((s) => s.start >= block.start && s.end <= block.end);
    };
    return buildChunks(
      doc,
      blocks.flatMap((b) =>
        b.end - b.start <= maxChars ? [b] : sentenceWindows(sentencesOf(b), { n: Number.MAX_SAFE_INTEGER, overlap: 0, maxChars }),
      ),
    );
  }
}

/** Whether a page starts between two spans: `after` begins on a later page than `before` ends. */
function pageBreakBetween(doc: ExtractedDocument, before: Span, after: Span): boolean {
  return pageAt(doc, after.start) !== pageAt(doc, before.end - 1);
}

/** The document's paragraphs in order, with those cut by a page break rejoined when asked. */
export function paragraphBlocks(doc: ExtractedDocument, joinPages: boolean): Span[] {
  const out: Span[] = [];
  for (const p of paragraphs(doc.text)) {
    const prev = out.at(-1);
    if (joinPages && prev && pageBreakBetween(doc, prev, p) && !ENDS_SENTENCE.test(doc.text.slice(prev.start, prev.end))) {
      prev.end = p.end;
    } else {
      out.push({ ...p });
    }
  }
  return out;
}
