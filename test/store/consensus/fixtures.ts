import { createStore } from '../../../src/store/registry.ts';
import type { ConsensusStore } from '../../../src/store/consensus/router.ts';
import type { FaultyStore } from '../../../src/store/consensus/faults.ts';
import type { VectorHit, VectorRecord, VectorStore } from '../../../src/store/types.ts';
import { l2normalize } from '../../../src/embed/vector.ts';
import { randomUnitVectors } from '../data.ts';

export const DIMENSIONS = 32;
export const K = 10;

const DOCUMENTS = 15;

function near(center: Float32Array, noise: Float32Array, spread: number): Float32Array {
  return l2normalize(center.map((x, i) => x + spread * (noise[i] as number)));
}

/**
 * 1,500 seeded chunk vectors in 15 documents and 200 queries. Like real embeddings, each
 * document's chunks cluster around a topic (its centre plus noise), and each query lies near
 * one topic, so a query's nearest chunks mostly come from one document.
 */
export function dataset(count = 1500, queries = 200): { records: VectorRecord[]; queries: Float32Array[] } {
  const centres = randomUnitVectors(DOCUMENTS, DIMENSIONS, 1);
  const noise = randomUnitVectors(count + queries, DIMENSIONS, 42);
  const centre = (i: number) => centres[i % DOCUMENTS] as Float32Array;
  return {
    records: noise.slice(0, count).map((n, i) => ({ id: `c${i}`, vector: near(centre(i), n, 0.8), metadata: { documentId: `doc${i % DOCUMENTS}` } })),
    queries: noise.slice(count).map((n, i) => near(centre((i * 7) % DOCUMENTS), n, 0.8)),
  };
}

/** A consensus store built through the registry, as a suite builds it; short timeouts so faults show fast. */
export async function consensusOver(backends: unknown[], extra: Record<string, unknown> = {}): Promise<ConsensusStore> {
  const options = {
    backends,
    write: { attempts: 2, backoffMs: 5, timeoutMs: 2000, catchUpIntervalMs: 0 },
    query: { timeoutMs: 1000 },
    ...extra,
  };
  return (await createStore('consensus', DIMENSIONS, options)) as ConsensusStore;
}

export async function ingest(store: VectorStore, records: readonly VectorRecord[], batch = 100): Promise<void> {
  for (let i = 0; i < records.length; i += batch) await store.upsert(records.slice(i, i + batch));
}

export function faultyIn(store: ConsensusStore, backend: string): FaultyStore {
  return store.backendStore(backend) as FaultyStore;
}

export function ids(hits: readonly VectorHit[]): string[] {
  return hits.map((h) => h.id);
}

/** The fault-free answer: brute force over the same records. */
export async function truthFor(records: readonly VectorRecord[], queries: readonly Float32Array[]): Promise<string[][]> {
  const exact = await createStore('exact', DIMENSIONS);
  await exact.upsert(records);
  const out: string[][] = [];
  for (const q of queries) out.push(ids(await exact.query(q, K)));
  await exact.close();
  return out;
}
