import { CachedEmbedder, DEFAULT_CACHE_DIR } from '../embed/cache.ts';
import { createEmbedder } from '../embed/registry.ts';
import { embeddingText } from '../retrieve/dense.ts';
import type { VectorRecord } from '../store/types.ts';
import { InputError } from '../util/errors.ts';
import { maxAbsDelta, textOf } from './records.ts';

/** Vectors of the same model and text agree to float noise; a different model differs by far more. */
const SAME_MODEL_DELTA = 1e-4;
const PROBE_RECORDS = 8;

export function openEmbedder(name: string, cacheDir = DEFAULT_CACHE_DIR): CachedEmbedder {
  return new CachedEmbedder(createEmbedder(name), { dir: cacheDir });
}

function texts(records: readonly VectorRecord[]): string[] {
  const without = records.filter((r) => textOf(r) === undefined);
  if (without.length > 0) {
    throw new InputError(
      `re-embedding needs each chunk's text (metadata.text), and ${without.length} record(s) have none, e.g. ${without[0]?.id}: ` +
        'ingest them again with this ragbench (it stores the text), or migrate without --embedder to copy the vectors',
    );
  }
  return records.map((r) => embeddingText(textOf(r) as string));
}

/** The target's vectors for these source records, embedded from their text (the embedding cache applies). */
export function reembed(embedder: CachedEmbedder, records: readonly VectorRecord[]): Promise<Float32Array[]> {
  return embedder.embedDocuments(texts(records));
}

/**
 * Whether the source's vectors already come from this embedder: the stored vectors of a few
 * records are compared with the embedder's vectors of their text. Sizes that differ settle it.
 */
export async function sourceMatchesEmbedder(embedder: CachedEmbedder, probe: readonly VectorRecord[], sourceDimensions: number): Promise<boolean> {
  if (embedder.dimensions !== sourceDimensions) return false;
  const sample = probe.slice(0, PROBE_RECORDS);
  if (sample.length === 0) return true;
  const vectors = await reembed(embedder, sample);
  return sample.every((r, i) => maxAbsDelta(r.vector, vectors[i] as Float32Array) <= SAME_MODEL_DELTA);
}
