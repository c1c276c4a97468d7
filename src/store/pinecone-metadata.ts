import type { RecordMetadata } from '@pinecone-database/pinecone';
import type { ChunkMetadata, MetadataValue } from './types.ts';

/**
 * Pinecone metadata holds strings, numbers, booleans and lists of strings, never null
 * ("Instead of setting a key to hold a null value, remove that key", Pinecone limits page).
 * So a null-valued key is left out and its name listed under this reserved key, which
 * `fromPinecone` turns back into `key: null`: a faithful round trip, and every other field
 * stays a plain, filterable Pinecone field.
 */
export const NULL_KEYS_FIELD = '_ragbench_null_keys';

export function toPinecone(storeId: string, id: string, metadata: ChunkMetadata): RecordMetadata {
  const out: RecordMetadata = {};
  const nullKeys: string[] = [];
  for (const [key, value] of Object.entries(metadata)) {
    if (key === NULL_KEYS_FIELD) {
      throw new Error(`${storeId}: record ${id}: metadata key "${NULL_KEYS_FIELD}" is reserved (it records which keys are null)`);
    }
    if (value === null) nullKeys.push(key);
    else out[key] = value;
  }
  if (nullKeys.length > 0) out[NULL_KEYS_FIELD] = nullKeys;
  return out;
}

export function fromPinecone(metadata: RecordMetadata | undefined): ChunkMetadata | undefined {
  if (!metadata) return undefined;
  const out: Record<string, MetadataValue> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (key === NULL_KEYS_FIELD) continue;
    // Lists never come from ragbench (its metadata is scalar); a foreign one is kept readable.
    out[key] = Array.isArray(value) ? JSON.stringify(value) : value;
  }
  const nullKeys = metadata[NULL_KEYS_FIELD];
  if (Array.isArray(nullKeys)) for (const key of nullKeys) out[key] = null;
  if (typeof out.documentId !== 'string') return undefined;
  return out as ChunkMetadata;
}
