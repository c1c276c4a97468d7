import type { GateCheck, RollbackTrigger, Summary } from '../summary/schema.ts';

/**
 * Rollbacks `ragbench watch` fired against the deployed candidate (summary `rollbacks`, from
 * its audit log): each is a failed, blocking check and a rollback trigger in the verdict in
 * every mode — production already said NO-GO.
 */
export function rollbackChecks(summary: Summary): { checks: GateCheck[]; triggers: RollbackTrigger[] } {
  const records = summary.rollbacks?.records ?? [];
  const run = summary.suite.candidate ?? '(service)';
  const checks: GateCheck[] = [];
  const triggers: RollbackTrigger[] = [];
  for (const r of records) {
    const op = r.comparison === 'above' ? '<=' : '>=';
    const action = r.action.ok ? 'the rollback action succeeded' : 'the rollback action FAILED';
    const message =
      `rollback trigger ${r.trigger} fired at ${r.time} on ${r.service}: ${r.metric} ${r.value} ${r.comparison} ${r.threshold} ` +
      `over ${r.windowSeconds} s (${r.samples} samples, ${r.consecutive} polls in a row${r.test ? `, ${r.test.method} p = ${r.test.pValue.toPrecision(2)}` : ''}); ${action}`;
    checks.push({
      name: `rollback trigger ${r.trigger} did not fire`,
      metric: `watch.${r.metric}`,
      op,
      threshold: r.threshold,
      value: r.value,
      run,
      pass: false,
      status: 'fail',
      source: 'watch',
      blocking: true,
      detail: message,
    });
    triggers.push({ run, metric: `watch.${r.metric}`, baseline: r.threshold, value: r.value, tolerance: `${op} ${r.threshold}`, limit: r.threshold, message });
  }
  return { checks, triggers };
}
