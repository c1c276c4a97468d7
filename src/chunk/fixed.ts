import { z } from 'zod';
import type { ExtractedDocument } from '../extract/types.ts';
import { buildChunks } from './build.ts';
import { splitRecursive } from './recursive.ts';
import { wholeText } from './sentences.ts';
import type { Chunk, Chunker } from './types.ts';

export const fixedOptionsSchema = z
  .strictObject({
    /** Longest chunk, in characters (UTF-16 code units). */
    size: z.int().positive().default(800),
    /** Most characters a chunk shares with the previous one. */
    overlap: z.int().nonnegative().default(100),
  })
  .refine((o) => o.overlap < o.size, { path: ['overlap'], error: 'overlap must be smaller than size' });

export type FixedOptions = z.output<typeof fixedOptionsSchema>;

/** Character windows cut at the most preferred boundary that fits (LangChain's recursive splitter). */
export class FixedChunker implements Chunker {
  readonly id: string;

  constructor(private readonly options: FixedOptions) {
    this.id = `fixed(size=${options.size},overlap=${options.overlap})`;
  }

  async chunk(doc: ExtractedDocument): Promise<Chunk[]> {
    return buildChunks(doc, splitRecursive(doc.text, wholeText(doc.text), this.options));
  }
}
