import type { MigrationRun, RunResult, Summary } from '../summary/schema.ts';

/**
 * The report's migration section (suites with `migration:`, docs/migration.md), shown beside
 * the verdict: per scenario what was injected, what the validation compared and what, if
 * anything, was lost — with the example ids the validation named.
 */
export interface MigrationRow {
  run: string;
  name: string;
  status: RunResult['status'];
  error: string | null;
  migration: MigrationRun | null;
}

export interface MigrationSection {
  rows: MigrationRow[];
  lostRecords: number;
}

export function migrationSection(summary: Summary): MigrationSection | null {
  const rows = summary.runs
    .filter((r) => r.migration || r.id.startsWith('migration/'))
    .map((r) => ({ run: r.id, name: r.name, status: r.status, error: r.error ?? null, migration: r.migration ?? null }));
  if (rows.length === 0) return null;
  return { rows, lostRecords: rows.reduce((a, r) => a + (r.migration?.lostRecords ?? 0), 0) };
}
