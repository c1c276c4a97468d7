import { access, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { evaluateGate } from '../gate/evaluate.ts';
import { readInputFile } from '../gate/load.ts';
import type { Thresholds } from '../gate/thresholds.ts';
import type { QueryRecord, Summary } from '../summary/schema.ts';
import { buildReportData } from './data.ts';
import { renderReportHtml } from './html.ts';
import { parseQueries } from './queries.ts';

export interface ReportOptions {
  /** Shown as deltas; also judged against when the verdict is evaluated here. */
  baseline?: Summary;
  /** Judge afresh with these (and the baseline), even when the summary carries a verdict. */
  thresholds?: Thresholds;
  /** Says where `thresholds` came from, shown under the verdict. */
  thresholdsSource?: string;
  /** Defaults to `<dir>/report.html`. */
  out?: string;
}

/**
 * The report's HTML. The verdict is the one stored in the summary (by `run --gate`) unless
 * thresholds are given or there is none; then it is evaluated here (with the baseline, if any).
 */
export function renderReport(summary: Summary, queries: readonly QueryRecord[], options: Omit<ReportOptions, 'out'> = {}): string {
  const { baseline, thresholds, thresholdsSource } = options;
  const fresh = thresholds !== undefined || summary.verdict === undefined;
  const verdict = fresh
    ? evaluateGate(summary, { ...(thresholds ? { thresholds } : {}), ...(baseline ? { baseline } : {}) })
    : summary.verdict!;
  const verdictSource = fresh ? (thresholdsSource ?? (thresholds ? 'the given thresholds' : 'production defaults')) : 'the verdict stored in summary.json';
  return renderReportHtml(buildReportData({ summary, queries, verdict, verdictSource, ...(baseline ? { baseline } : {}) }));
}

/** Writes `<dir>/report.html` (or `options.out`) and returns its path. For the runner, after every run. */
export async function writeReport(dir: string, summary: Summary, queries: readonly QueryRecord[], options: ReportOptions = {}): Promise<string> {
  const { out = join(dir, 'report.html'), ...rest } = options;
  await writeFile(out, renderReport(summary, queries, rest));
  return out;
}

/** The queries.jsonl beside a summary.json, or null when there is none. */
export async function loadQueriesBeside(summaryFile: string): Promise<{ file: string; queries: QueryRecord[] } | null> {
  const file = join(dirname(summaryFile), 'queries.jsonl');
  try {
    await access(file);
  } catch {
    return null;
  }
  return { file, queries: parseQueries(await readInputFile(file, 'queries'), file) };
}
