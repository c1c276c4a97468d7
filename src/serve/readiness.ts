import { ConsensusStore } from '../store/consensus/router.ts';
import { message, withTimeout } from '../store/consensus/async.ts';
import type { VectorIndex } from '../store/types.ts';

export interface BackendProbe {
  name: string;
  reachable: boolean;
  latencyMs: number;
  error?: string;
}

export interface Reachability {
  /** Enough backends answer to serve queries (a consensus store: its quorum of weight). */
  ok: boolean;
  backends: BackendProbe[];
}

async function probe(name: string, store: VectorIndex, timeoutMs: number): Promise<BackendProbe> {
  const t0 = performance.now();
  try {
    await withTimeout(store.count(), timeoutMs, `${name}: count`);
    return { name, reachable: true, latencyMs: performance.now() - t0 };
  } catch (error) {
    return { name, reachable: false, latencyMs: performance.now() - t0, error: message(error) };
  }
}

/**
 * Whether the vector store answers: one count() per backend with a timeout. A consensus store
 * is probed backend by backend and is reachable while the backends that answer hold its quorum.
 */
export async function probeBackends(store: VectorIndex | undefined, timeoutMs: number): Promise<Reachability> {
  if (!store) return { ok: true, backends: [] }; // BM25 alone: nothing to reach
  if (!(store instanceof ConsensusStore)) {
    const one = await probe(store.id, store, timeoutMs);
    return { ok: one.reachable, backends: [one] };
  }
  const weights = new Map(store.consensusReport().perBackend.map((b) => [b.name, b.weight]));
  const backends = await Promise.all(store.backendNames().map((name) => probe(name, store.backendStore(name), timeoutMs)));
  const total = [...weights.values()].reduce((s, w) => s + w, 0);
  const reachable = backends.filter((b) => b.reachable).reduce((s, b) => s + (weights.get(b.name) ?? 0), 0);
  return { ok: reachable > 0 && reachable >= store.quorum * total - 1e-9, backends };
}
