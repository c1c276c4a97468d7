import type { BackendRun, Interval, RunResult, Summary } from '../summary/schema.ts';

/**
 * The report's backends section (suites that set `backends:`, docs/backends.md): each vector
 * store measured on its own — recall@10 against exact search over the same vectors, queries/s
 * at a fixed concurrency — beside the run's ingest time, query latency and accuracy.
 */

export interface BackendRow {
  /** Run id and short name. */
  run: string;
  name: string;
  status: RunResult['status'];
  error: string | null;
  /** The store's registry name, or the run's store label when it measured nothing. */
  store: string;
  vectors: number | null;
  recallAt10VsExact: number | null;
  throughput: BackendRun['throughput'];
  ingestSeconds: number | null;
  /** The run's query p95 (embedding + search) from its latency rounds. */
  queryP95Ms: number | null;
  semanticAccuracy: number | null;
  semanticInterval: Interval | null;
}

export interface BackendsSection {
  rows: BackendRow[];
  /** The concurrency every throughput was measured at; null when runs differ or none measured it. */
  concurrency: number | null;
}

/** A run the section covers: it measured its store, or it is a store run that did not finish (e.g. skipped without credentials). */
function isBackendRun(run: RunResult): boolean {
  if (run.backend) return true;
  return run.status !== 'completed' && run.config.store !== 'none' && !run.config.store.startsWith('consensus');
}

function row(run: RunResult): BackendRow {
  const b = run.backend;
  return {
    run: run.id,
    name: run.name,
    status: run.status,
    error: run.error ?? null,
    store: b?.store ?? run.config.store,
    vectors: b?.vectors ?? null,
    recallAt10VsExact: b?.recallAt10VsExact ?? null,
    throughput: b?.throughput ?? null,
    ingestSeconds: run.ingest?.seconds ?? null,
    queryP95Ms: run.latency?.p95Ms ?? null,
    semanticAccuracy: run.accuracy?.semanticAccuracy ?? null,
    semanticInterval: run.accuracy?.intervals.semanticAccuracy ?? null,
  };
}

/** The backends section, or null when no run measured its store on its own. */
export function backendsSection(summary: Summary): BackendsSection | null {
  if (!summary.runs.some((r) => r.backend)) return null;
  const rows = summary.runs.filter(isBackendRun).map(row);
  const levels = new Set(rows.flatMap((r) => (r.throughput ? [r.throughput.concurrency] : [])));
  return { rows, concurrency: levels.size === 1 ? ([...levels][0] as number) : null };
}
