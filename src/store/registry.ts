import { InputError } from '../util/errors.ts';
import { parseStoreOptions } from './util.ts';
import { chroma } from './chroma.ts';
import { exact } from './exact.ts';
import { faissFlat, faissHnsw } from './faiss.ts';
import { hnswlib } from './hnswlib.ts';
import { consensus, faulty } from './consensus/definition.ts';
import { pgvector } from './pgvector.ts';
import { pinecone } from './pinecone.ts';
import type { StoreDefinition, VectorStore } from './types.ts';

/** Every vector store a suite can name. A new backend is one file plus one line here. */
const definitions: readonly StoreDefinition[] = [exact, faissFlat, faissHnsw, hnswlib, chroma, pgvector, pinecone, consensus, faulty];

const byName = new Map(definitions.map((d) => [d.name, d]));

export function storeNames(): string[] {
  return [...byName.keys()];
}

/**
 * Builds the store a suite names. Native backends load their addon here, so a missing build
 * surfaces as a NativeAddonError naming the fix, and only for suites that use that backend.
 */
export async function createStore(
  name: string,
  dimensions: number,
  options?: Record<string, unknown>,
): Promise<VectorStore> {
  const definition = byName.get(name);
  if (!definition) {
    throw new InputError(`unknown vector store "${name}"; known stores: ${storeNames().join(', ')}`);
  }
  return definition.create(dimensions, options);
}

/** Checks a store name and its options without building it (a suite validates every run at load). */
export function validateStore(name: string, options: Record<string, unknown>): void {
  const definition = byName.get(name);
  if (!definition) throw new InputError(`unknown vector store "${name}"; known stores: ${storeNames().join(', ')}`);
  parseStoreOptions(name, definition.options, options);
}
