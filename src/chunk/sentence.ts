import { z } from 'zod';
import type { ExtractedDocument } from '../extract/types.ts';
import { buildChunks } from './build.ts';
import { boundedSentences } from './recursive.ts';
import type { Span } from './span.ts';
import type { Chunk, Chunker } from './types.ts';

export const sentenceOptionsSchema = z
  .strictObject({
    /** Sentences per chunk. */
    n: z.int().positive().default(5),
    /** Sentences a chunk shares with the previous one. */
    overlap: z.int().nonnegative().default(1),
    /** Longest chunk, in characters: a window stops early, a longer sentence is cut. */
    maxChars: z.int().positive().default(1500),
  })
  .refine((o) => o.overlap < o.n, { path: ['overlap'], error: 'overlap must be smaller than n' });

export type SentenceOptions = z.output<typeof sentenceOptionsSchema>;

/** Windows of `n` consecutive sentences, each sharing `overlap` sentences with the one before. */
export class SentenceChunker implements Chunker {
  readonly id: string;

  constructor(private readonly options: SentenceOptions) {
    this.id = `sentence(n=${options.n},overlap=${options.overlap},maxChars=${options.maxChars})`;
  }

  async chunk(doc: ExtractedDocument): Promise<Chunk[]> {
    return buildChunks(doc, sentenceWindows(boundedSentences(doc.text, this.options.maxChars), this.options));
  }
}

/** Every window holds at least one unit the previous window did not, so none is redundant. */
export function sentenceWindows(units: readonly Span[], { n, overlap, maxChars }: SentenceOptions): Span[] {
  const windows: Span[] = [];
  const fits = (first: number, last: number): boolean =>
    (units[last] as Span).end - (units[first] as Span).start <= maxChars;
  let first = 0;
  while (first < units.length) {
    let end = first + 1; // exclusive
    while (end < units.length && end - first < n && fits(first, end)) end++;
    windows.push({ start: (units[first] as Span).start, end: (units[end - 1] as Span).end });
    if (end === units.length) break;
    first += Math.max(1, end - first - overlap);
    // A window cut short by maxChars may leave too little room for the next unit.
    while (first < end && !fits(first, end)) first++;
  }
  return windows;
}
