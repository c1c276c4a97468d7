import type { ConsensusReport } from '../store/consensus/report.ts';
import { FaultyStore } from '../store/consensus/faults.ts';
import type { ConsensusStore } from '../store/consensus/router.ts';
import type { ConsensusRun, QueryRecord, RunResult } from '../summary/schema.ts';

function overhead(r: ConsensusReport): number | null {
  const healthy = r.perBackend.filter((b) => !b.suspect && b.timeouts === 0 && b.failures === 0 && b.skippedBehind === 0);
  const slowest = Math.max(...healthy.map((b) => b.latencyMs.p95 ?? Number.NaN).filter((x) => Number.isFinite(x)));
  const own = r.latencyMs.p95;
  return own === null || !Number.isFinite(slowest) || slowest <= 0 ? null : own / slowest - 1;
}

/** A run's consensus section from the store's own report (fault-free comparison filled in later). */
export function consensusSection(store: ConsensusStore): ConsensusRun {
  const r = store.consensusReport();
  return {
    version: 1,
    quorum: store.quorum,
    queries: r.queries,
    agreement: r.meanAgreement,
    answeredFraction: r.answeredFraction,
    noQuorum: r.noQuorum,
    unanswered: r.unanswered,
    latencyMs: r.latencyMs,
    perBackend: r.perBackend.map((b) => {
      const inner = store.backendStore(b.name);
      return { ...b, faults: inner instanceof FaultyStore ? inner.describeFaults() : [] };
    }),
    writes: r.writes,
    reconcile: r.reconcile,
    chunksLost: r.chunksLost,
    overheadP95VsSlowestHealthy: overhead(r),
    identicalToFaultFree: null,
    faultFreeRun: null,
  };
}

/** Question id -> the chunk ids a run returned, in rank order. */
function topKByQuestion(records: readonly QueryRecord[], runId: string): Map<string, string> {
  return new Map(records.filter((r) => r.run === runId).map((r) => [r.questionId, r.hits.map((h) => h.chunkId).join('\n')]));
}

/**
 * For every consensus run, the fraction of questions whose top-k ids are exactly those of the
 * suite's fault-free run: what a fault costs in answers, not only in agreement.
 */
export function compareWithFaultFree(runs: RunResult[], records: readonly QueryRecord[], faultFreeName: string): void {
  const reference = runs.find((r) => r.name === faultFreeName && r.status === 'completed');
  if (!reference) return;
  const expected = topKByQuestion(records, reference.id);
  for (const run of runs) {
    if (!run.consensus || run.status !== 'completed') continue;
    const got = topKByQuestion(records, run.id);
    let same = 0;
    for (const [question, ids] of expected) if (got.get(question) === ids) same++;
    run.consensus.identicalToFaultFree = expected.size === 0 ? null : same / expected.size;
    run.consensus.faultFreeRun = reference.name;
  }
}
