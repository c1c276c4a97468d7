import type { ConsensusRun, Interval, RunResult, Summary } from '../summary/schema.ts';
import { disagreement } from './disagreement.ts';
import { readQuorum, type QuorumReading } from './quorum.ts';

/**
 * The report's consensus section (docs/consensus.md): one scenario per run whose store is the
 * consensus router, each set against the suite's fault-free run — top-k identical to it,
 * semantic accuracy paired question by question (exact McNemar), consensus p95 — with its
 * backends, writes, reconciliation and what its quorum can guarantee.
 */


type RecordedBackend = ConsensusRun['perBackend'][number];

/** A backend as the summary records it, with what the report adds. */
export interface ConsensusBackendRow extends RecordedBackend {
  /** Lies or drops writes (injected), or flagged suspect; `down`: crashed, slow or flapping only. */
  role: 'healthy' | 'liar' | 'down';
  /** Its line of the reconciliation after ingest, when one ran. */
  reconcile: { reachable: boolean; error: string | null; count: number; missingCount: number; extraCount: number; walPending: number } | null;
}

export interface PairedAccuracy {
  /** The fault-free run's semantic accuracy. */
  faultFree: number;
  /** This run's minus the fault-free run's. */
  delta: number;
  /** Questions right only in this run (McNemar's b) and only in the fault-free run (c). */
  onlyRun: number;
  onlyFaultFree: number;
  pValue: number;
}

export interface ConsensusScenario {
  /** Run id and short name. */
  run: string;
  name: string;
  status: RunResult['status'];
  error: string | null;
  /** Null for a run that did not complete. */
  figures: ScenarioFigures | null;
}

export interface ScenarioFigures {
  queries: number;
  agreement: number | null;
  answeredFraction: number | null;
  noQuorum: number;
  unanswered: number;
  identicalToFaultFree: number | null;
  faultFreeRun: string | null;
  /** Whether this run is the fault-free reference itself. */
  isFaultFree: boolean;
  semanticAccuracy: number | null;
  semanticInterval: Interval | null;
  /** Paired against the fault-free run; null without one or without aligned per-question outcomes. */
  paired: PairedAccuracy | null;
  latency: {
    p50: number | null;
    p95: number | null;
    faultFreeP95: number | null;
    /** p95 over the fault-free run's p95, minus 1. */
    overheadVsFaultFree: number | null;
    /** The slowest healthy backend (every query answered in time, never suspect), measured inside this run. */
    slowestHealthy: { name: string; p95: number } | null;
    /** consensus.overheadP95VsSlowestHealthy: consensus p95 over that backend's, minus 1. */
    overheadVsSlowestHealthy: number | null;
  };
  chunksLost: number | null;
  reconcile: {
    expected: number;
    consistent: boolean;
    failure: string | null;
    /** The first MAX_IDS lost ids; lostCount is complete. */
    lostIds: string[];
    lostCount: number;
  } | null;
  writes: ConsensusRun['writes'];
  backends: ConsensusBackendRow[];
  quorum: QuorumReading;
}

export interface ConsensusSection {
  /** The suite's fault-free run (by name), when the scenarios name one. */
  faultFreeRun: string | null;
  scenarios: ConsensusScenario[];
}

/** Lost ids listed per scenario; the count beside them is complete. */
const MAX_IDS = 100;

const ratioOver = (value: number | null | undefined, reference: number | null | undefined): number | null =>
  value === null || value === undefined || reference === null || reference === undefined || reference <= 0 ? null : value / reference - 1;

/** An injected fault's kind is the first word of its description ("byzantine (mode random-ids)"). */
const kindOf = (fault: string): string => fault.split(/[\s(]/, 1)[0] ?? fault;

function backendRows(c: ConsensusRun): ConsensusBackendRow[] {
  const reconciled = new Map((c.reconcile?.backends ?? []).map((b) => [b.backend, b]));
  return c.perBackend.map((b) => {
    const kinds = b.faults.map(kindOf);
    const lies = kinds.some((k) => k === 'byzantine' || k === 'partial');
    const down = kinds.some((k) => k === 'crash' || k === 'slow' || k === 'flapping');
    const role = b.suspect || lies ? 'liar' : down ? 'down' : 'healthy';
    const r = reconciled.get(b.name);
    return {
      ...b,
      role,
      reconcile: r
        ? { reachable: r.reachable, error: r.error ?? null, count: r.count, missingCount: r.missingCount, extraCount: r.extraCount, walPending: r.walPending }
        : null,
    };
  });
}

/**
 * The backend the summary's overheadP95VsSlowestHealthy is measured against, by the runner's
 * rule (src/suite/consensus-section.ts): never suspect, no timeout, failure or query sat out.
 */
function slowestHealthy(rows: readonly ConsensusBackendRow[]): { name: string; p95: number } | null {
  let out: { name: string; p95: number } | null = null;
  for (const b of rows) {
    const p95 = b.latencyMs.p95;
    if (b.suspect || b.timeouts > 0 || b.failures > 0 || b.skippedBehind > 0 || p95 === null) continue;
    if (!out || p95 > out.p95) out = { name: b.name, p95 };
  }
  return out;
}

function paired(run: RunResult, reference: RunResult | undefined): PairedAccuracy | null {
  const a = run.perQuestion?.semanticAccuracy;
  const b = reference?.perQuestion?.semanticAccuracy;
  const faultFree = reference?.accuracy?.semanticAccuracy;
  const value = run.accuracy?.semanticAccuracy;
  if (!a || !b || a.length !== b.length || faultFree === undefined || value === undefined) return null;
  const d = disagreement(a, b);
  return { faultFree, delta: value - faultFree, onlyRun: d.onlyFirst.length, onlyFaultFree: d.onlySecond.length, pValue: d.pValue };
}

function figures(run: RunResult, c: ConsensusRun, reference: RunResult | undefined): ScenarioFigures {
  const rows = backendRows(c);
  const slowest = slowestHealthy(rows);
  const liarFlags = rows.filter((b) => b.role === 'liar').flatMap((b) => (b.flaggedAfterQueries === null ? [] : [b.flaggedAfterQueries]));
  const lost = c.reconcile?.lostIds ?? [];
  const faultFreeP95 = reference?.consensus?.latencyMs.p95 ?? null;
  return {
    queries: c.queries,
    agreement: c.agreement,
    answeredFraction: c.answeredFraction,
    noQuorum: c.noQuorum,
    unanswered: c.unanswered,
    identicalToFaultFree: c.identicalToFaultFree,
    faultFreeRun: c.faultFreeRun,
    isFaultFree: reference !== undefined && reference.id === run.id,
    semanticAccuracy: run.accuracy?.semanticAccuracy ?? null,
    semanticInterval: run.accuracy?.intervals.semanticAccuracy ?? null,
    paired: reference && reference.id !== run.id ? paired(run, reference) : null,
    latency: {
      p50: c.latencyMs.p50,
      p95: c.latencyMs.p95,
      faultFreeP95,
      overheadVsFaultFree: reference && reference.id !== run.id ? ratioOver(c.latencyMs.p95, faultFreeP95) : null,
      slowestHealthy: slowest,
      overheadVsSlowestHealthy: c.overheadP95VsSlowestHealthy,
    },
    chunksLost: c.chunksLost,
    reconcile: c.reconcile
      ? { expected: c.reconcile.expected, consistent: c.reconcile.consistent, failure: c.reconcile.failure, lostIds: lost.slice(0, MAX_IDS), lostCount: Math.max(c.reconcile.chunksLost, lost.length) }
      : null,
    writes: c.writes,
    backends: rows,
    quorum: readQuorum(
      rows.map((b) => ({ name: b.name, baseWeight: b.baseWeight, liar: b.role === 'liar', down: b.role === 'down' })),
      c.quorum,
      {
        noQuorum: c.noQuorum,
        queries: c.queries,
        flagged: liarFlags.length,
        flaggedAfter: liarFlags.length ? Math.max(...liarFlags) : null,
      },
    ),
  };
}

/** A run the section covers: it measured consensus, or it is a consensus run that did not finish. */
function isScenario(run: RunResult): boolean {
  return run.consensus !== undefined || (run.status !== 'completed' && run.config.store.startsWith('consensus'));
}

/** The consensus section, or null when no run measured consensus. */
export function consensusSection(summary: Summary): ConsensusSection | null {
  if (!summary.runs.some((r) => r.consensus)) return null;
  const named = summary.runs.map((r) => r.consensus?.faultFreeRun).find((n): n is string => typeof n === 'string') ?? null;
  const reference = named === null ? undefined : summary.runs.find((r) => r.name === named && r.status === 'completed');
  return {
    faultFreeRun: named,
    scenarios: summary.runs.filter(isScenario).map((run) => ({
      run: run.id,
      name: run.name,
      status: run.status,
      error: run.error ?? null,
      figures: run.status === 'completed' && run.consensus ? figures(run, run.consensus, reference) : null,
    })),
  };
}
