import { compare } from './compare.ts';
import type { GateCheck, Verdict } from '../summary/schema.ts';
import { formatValue } from './metrics.ts';

const RESULT: Record<GateCheck['status'], string> = { pass: 'ok', fail: 'FAIL', warn: 'warn', 'not-measured': 'n/a' };

export function formatThreshold(c: GateCheck): string {
  return `${c.op} ${typeof c.threshold === 'number' ? formatValue(c.metric, c.threshold) : c.threshold}`;
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * The verdict's one-line headline, e.g. "NO-GO: 2 of 31 checks failed, 1 rollback trigger"
 * or "GO: all 20 blocking checks passed, 3 warnings (non-blocking) [nightly]".
 */
export function headline(verdict: Verdict): string {
  const failed = verdict.checks.filter((c) => c.status === 'fail').length;
  const warned = verdict.checks.filter((c) => c.status === 'warn').length;
  const counted = verdict.checks.filter((c) => c.status !== 'not-measured' && c.status !== 'warn').length;
  const triggers = verdict.triggers.length;
  const parts = [
    failed ? `${failed} of ${counted} checks failed` : `all ${counted} ${warned ? 'blocking ' : ''}checks passed`,
    ...(warned ? [`${plural(warned, 'warning')} (non-blocking)`] : []),
    ...(triggers ? [plural(triggers, 'rollback trigger')] : []),
  ];
  const mode = verdict.mode && verdict.mode !== 'local' ? ` [${verdict.mode}]` : '';
  return `${verdict.decision}: ${parts.join(', ')}${mode}`;
}

function pad(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ').trimEnd());
}

export interface TableOptions {
  /** List every passing check instead of one line per run. */
  all?: boolean;
  /** Run id -> short name (summary.runs), so the table shows `bm25·fixed1000`, not a 100-character id. */
  runNames?: ReadonlyMap<string, string>;
}

/** Short names of a summary's runs, by id, for TableOptions.runNames. */
export function runNamesOf(summary: { runs: readonly { id: string; name: string }[] }): Map<string, string> {
  return new Map(summary.runs.map((r) => [r.id, r.name]));
}

/**
 * The gate's table for a terminal: every failure with its value and threshold, then the
 * passes (one line per run unless `all`); checks that did not apply are counted, not listed.
 * Then rollback triggers and warnings. Pure: a string of the verdict.
 */
export function formatVerdictTable(verdict: Verdict, options: TableOptions = {}): string {
  const shown = verdict.checks
    .filter((c) => c.status !== 'not-measured')
    .map((c) => ({ ...c, run: options.runNames?.get(c.run) ?? c.run }));
  const failed = shown.filter((c) => c.status === 'fail');
  const warned = shown.filter((c) => c.status === 'warn');
  const passed = shown.filter((c) => c.status === 'pass');
  const passRows = options.all
    ? passed.map((c) => [RESULT[c.status], c.run, c.name, formatValue(c.metric, c.value), formatThreshold(c)])
    : [...new Set(passed.map((c) => c.run))].map((run) => {
        const n = passed.filter((c) => c.run === run).length;
        return [RESULT.pass, run, `${n} check${n === 1 ? '' : 's'} passed`, '', ''];
      });
  const rows = [
    ['RESULT', 'RUN', 'CHECK', 'VALUE', 'THRESHOLD'],
    ...failed.map((c) => [RESULT[c.status], c.run, c.name, formatValue(c.metric, c.value), formatThreshold(c)]),
    ...warned.map((c) => [RESULT[c.status], c.run, c.name, formatValue(c.metric, c.value), formatThreshold(c)]),
    ...passRows,
  ];
  const lines = [headline(verdict), '', ...pad(rows).map((l) => `  ${l}`)];
  const notMeasured = verdict.checks.length - shown.length;
  if (notMeasured) lines.push(`  (${notMeasured} check${notMeasured === 1 ? '' : 's'} not measured by their run: not counted)`);
  const details = failed.filter((c) => c.detail && c.source !== 'baseline');
  if (details.length) {
    lines.push('', 'Failures:');
    for (const c of details) lines.push(`  ${c.run}: ${c.name}: ${c.detail}`);
  }
  // Passed although beyond the tolerance's limit: the test found the difference to be noise.
  const regressionsPassed = passed.filter((c) => c.source === 'baseline' && c.test && typeof c.value === 'number' && typeof c.threshold === 'number' && !compare(c.value, c.op, c.threshold));
  if (regressionsPassed.length) {
    lines.push('', 'Differences beyond tolerance that are noise (not significant):');
    for (const c of regressionsPassed) lines.push(`  ${c.run}: ${c.metric}: ${c.detail}`);
  }
  const warnDetails = warned.filter((c) => c.detail && c.source !== 'baseline');
  if (warnDetails.length) {
    lines.push('', 'Non-blocking:');
    for (const c of warnDetails) lines.push(`  ${c.run}: ${c.name}: ${c.detail}`);
  }
  if (verdict.triggers.length) {
    lines.push('', `Rollback triggers (baseline ${verdict.baseline?.runId ?? '?'}):`);
    for (const t of verdict.triggers) lines.push(`  ${t.message}`);
  }
  if (verdict.warnings.length) {
    lines.push('', 'Warnings:');
    for (const w of verdict.warnings) lines.push(`  ${w}`);
  }
  return `${lines.join('\n')}\n`;
}
