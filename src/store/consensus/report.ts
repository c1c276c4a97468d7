import { quantile } from '../../stats/quantile.ts';

/** What one consensus query decided, and who took part. */
export interface QueryReport {
  /** 1-based query number of this store. */
  query: number;
  /** Weighted mean overlap with the consensus of the backends that answered (trust-adjusted weights); 0 if none answered. */
  agreement: number;
  quorumMet: boolean;
  /** Weight of the answering backends whose overlap reached query.agreeOverlap. */
  agreeingWeight: number;
  /** Weight of every configured backend (trust-adjusted), answering or not: the quorum's denominator. */
  totalWeight: number;
  agreed: string[];
  dissented: string[];
  timedOut: string[];
  failed: { backend: string; error: string }[];
  /** Backends skipped because their write-ahead log has writes they have not taken yet. */
  behind: string[];
  /** Per answering backend: overlap with the consensus and latency. */
  perBackend: { backend: string; overlap: number; latencyMs: number }[];
  latencyMs: number;
}

export interface BackendReconcile {
  backend: string;
  reachable: boolean;
  error?: string;
  /** Records the backend holds now. */
  count: number;
  /** Written ids it lacks (the first maxIdsListed; missingCount is complete). */
  missing: string[];
  missingCount: number;
  /** Ids it holds that were not written (or were deleted). */
  extra: string[];
  extraCount: number;
  /** Write-ahead log entries not yet replayed to it. */
  walPending: number;
}

export interface ReconcileReport {
  /** Ids written and not deleted: the union every backend should hold. */
  expected: number;
  backends: BackendReconcile[];
  /** Written ids that no reachable backend holds and no write-ahead log still carries. */
  chunksLost: number;
  lostIds: string[];
  /** True when every backend was reachable and holds exactly the expected ids, with nothing pending. */
  consistent: boolean;
  /** A sentence naming the failure, null when nothing was lost. */
  failure: string | null;
}

export interface RepairReport {
  backends: { backend: string; copied: number; deleted: number; unrecoverable: string[] }[];
  after: ReconcileReport;
}

export interface BackendReport {
  name: string;
  /** Registry name of the backend's store. */
  store: string;
  baseWeight: number;
  /** Weight now: base weight x trust (base weight when weights are not adaptive). */
  weight: number;
  trust: number;
  suspect: boolean;
  flaggedAfterQueries: number | null;
  answered: number;
  dissents: number;
  timeouts: number;
  failures: number;
  skippedBehind: number;
  behind: boolean;
  latencyMs: { p50: number | null; p95: number | null };
}

/** Plain, JSON-serialisable figures of a consensus store since it was opened. */
export interface ConsensusReport {
  queries: number;
  /** Mean of the per-query agreement; null before the first query. */
  meanAgreement: number | null;
  /** Fraction of queries whose merged top-k met the quorum. */
  answeredFraction: number | null;
  noQuorum: number;
  /** Queries no backend answered (they threw). */
  unanswered: number;
  latencyMs: { p50: number | null; p95: number | null };
  perBackend: BackendReport[];
  writes: { batches: number; retries: number; walAppends: number; walReplayed: number; walPending: number };
  reconcile: ReconcileReport | null;
  /** From the last reconcile; null if none ran. */
  chunksLost: number | null;
}

/** p50/p95 in ms, null for no sample. */
export function percentiles(samples: readonly number[]): { p50: number | null; p95: number | null } {
  if (samples.length === 0) return { p50: null, p95: null };
  return { p50: quantile(samples, 0.5), p95: quantile(samples, 0.95) };
}
