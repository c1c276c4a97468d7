/** Everything chunk quality reports for one run: token overlap of the top-k chunks, and the chunks' shape. */
import type { Chunk } from '../../chunk/types.ts';
import { chunkQuality, type ChunkQualityInput } from './quality.ts';
import type { ChunkingStage } from './schema.ts';
import { chunkShape } from './shape.ts';

export function chunkingStage(input: ChunkQualityInput & { chunks: readonly Chunk[] }): ChunkingStage {
  return { quality: chunkQuality(input), shape: chunkShape(input.documents, input.chunks) };
}
