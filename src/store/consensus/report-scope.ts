import { AsyncLocalStorage } from 'node:async_hooks';
import type { QueryReport } from './report.ts';

/**
 * The vote reports of the consensus queries made inside one asynchronous call, whatever else runs
 * concurrently: a service answering many queries at once gets each query's own report, where the
 * router's `lastQueryReport()` may be a neighbour's. Callers that do not ask pay nothing.
 */
const scope = new AsyncLocalStorage<QueryReport[]>();

/**
 * Runs `fn`; every consensus query it makes (directly or deep inside) appends its report to
 * `reports` — also when `fn` then fails, so the caller can still count the backends that failed.
 */
export function collectQueryReports<T>(reports: QueryReport[], fn: () => Promise<T>): Promise<T> {
  return scope.run(reports, fn);
}

/** Called by the router when a query is decided. */
export function recordQueryReport(report: QueryReport): void {
  scope.getStore()?.push(report);
}
