import type { VectorRecord } from '../types.ts';
import { mapLimit, message, withTimeout } from './async.ts';
import { type Backend, byHealth } from './backend.ts';
import type { BackendReconcile, ReconcileReport, RepairReport } from './report.ts';

export interface ReconcileContext {
  backends: readonly Backend[];
  /** Ids written and not deleted. */
  expected: ReadonlySet<string>;
  timeoutMs: number;
  concurrency: number;
  maxIdsListed: number;
}

/** Ids the pending log entries of every backend would still write. */
async function idsInLogs(backends: readonly Backend[]): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const b of backends) {
    for (const entry of await b.wal.read()) if (entry.op === 'upsert') for (const r of entry.records) ids.add(r.id);
  }
  return ids;
}

/**
 * Compares every backend's ids with what was written. Read-only: call catchUp() first to let
 * recovered backends replay their logs.
 */
export async function reconcile(ctx: ReconcileContext): Promise<{ report: ReconcileReport; held: Map<string, Set<string>> }> {
  const held = new Map<string, Set<string>>();
  const rows = await mapLimit(ctx.backends, ctx.concurrency, async (b): Promise<BackendReconcile> => {
    try {
      const ids = new Set(await withTimeout(b.store.listIds(), ctx.timeoutMs, `${b.name}: listIds`));
      held.set(b.name, ids);
      const missing = [...ctx.expected].filter((id) => !ids.has(id));
      const extra = [...ids].filter((id) => !ctx.expected.has(id));
      return {
        backend: b.name,
        reachable: true,
        count: ids.size,
        missing: missing.slice(0, ctx.maxIdsListed),
        missingCount: missing.length,
        extra: extra.slice(0, ctx.maxIdsListed),
        extraCount: extra.length,
        walPending: b.wal.pending,
      };
    } catch (error) {
      return { backend: b.name, reachable: false, error: message(error), count: 0, missing: [], missingCount: 0, extra: [], extraCount: 0, walPending: b.wal.pending };
    }
  });
  const pending = await idsInLogs(ctx.backends);
  const lostIds = [...ctx.expected].filter((id) => !pending.has(id) && ![...held.values()].some((ids) => ids.has(id)));
  const consistent = rows.every((r) => r.reachable && r.missingCount === 0 && r.extraCount === 0 && r.walPending === 0);
  const failure =
    lostIds.length === 0
      ? null
      : `consensus: ${lostIds.length} of ${ctx.expected.size} written chunks are held by no reachable backend and no write-ahead log: ${lostIds.slice(0, 10).join(', ')}${lostIds.length > 10 ? ', …' : ''}`;
  return {
    report: { expected: ctx.expected.size, backends: rows, chunksLost: lostIds.length, lostIds: lostIds.slice(0, ctx.maxIdsListed), consistent, failure },
    held,
  };
}

/**
 * Makes every reachable backend hold exactly the written ids: copies each missing record from
 * the healthiest backend that holds it (get + upsert), and deletes ids that were never written
 * or were deleted. Backends with pending logs are left to catchUp().
 */
export async function repair(ctx: ReconcileContext, upsert: (b: Backend, records: VectorRecord[]) => Promise<void>): Promise<RepairReport['backends']> {
  const { report, held } = await reconcile(ctx);
  const sources = byHealth(ctx.backends).filter((b) => held.has(b.name));
  const out: RepairReport['backends'] = [];
  for (const row of report.backends) {
    const target = ctx.backends.find((b) => b.name === row.backend) as Backend;
    const ids = held.get(target.name);
    if (!ids || target.wal.pending > 0) continue;
    let remaining = [...ctx.expected].filter((id) => !ids.has(id));
    let copied = 0;
    for (const source of sources) {
      if (remaining.length === 0) break;
      const sourceIds = held.get(source.name) as Set<string>;
      const wanted = remaining.filter((id) => sourceIds.has(id));
      if (source === target || wanted.length === 0) continue;
      try {
        const records = await withTimeout(source.store.get(wanted), ctx.timeoutMs, `${source.name}: get`);
        await upsert(target, records);
        copied += records.length;
        const got = new Set(records.map((r) => r.id));
        remaining = remaining.filter((id) => !got.has(id));
      } catch {
        // Try the next source; what no source gives is reported unrecoverable.
      }
    }
    const extra = [...ids].filter((id) => !ctx.expected.has(id));
    let deleted = 0;
    if (extra.length > 0) {
      try {
        await withTimeout(target.store.delete(extra), ctx.timeoutMs, `${target.name}: delete`);
        deleted = extra.length;
      } catch {
        // Left for the next reconcile to report.
      }
    }
    out.push({ backend: target.name, copied, deleted, unrecoverable: remaining.slice(0, ctx.maxIdsListed) });
  }
  return out;
}
