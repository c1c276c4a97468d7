import type { Summary } from '../summary/schema.ts';
import { readAudit } from '../watch/audit.ts';

/** The summary with `ragbench watch`'s audit log attached (`--audit`), or as it is without one. */
export async function withRollbacks(summary: Summary, auditFile: string | undefined): Promise<Summary> {
  if (auditFile === undefined) return summary;
  return { ...summary, rollbacks: { file: auditFile, records: await readAudit(auditFile) } };
}
