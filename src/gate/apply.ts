import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Summary, Verdict } from '../summary/schema.ts';
import { evaluateGate, type GateOptions } from './evaluate.ts';
import { toJUnitXml } from './junit.ts';
import { formatVerdictTable, runNamesOf } from './table.ts';

export interface GateRunOptions extends GateOptions {
  /** Where the JUnit XML goes; `<dir>/junit.xml` by default. */
  junitFile?: string;
}

export interface GateRunResult {
  verdict: Verdict;
  /** The summary with its verdict, as written to `<dir>/summary.json`. */
  summary: Summary;
  /** The table to print. */
  table: string;
  junitFile: string;
}

/**
 * For `ragbench run --gate`: judges the run, writes the verdict into `<dir>/summary.json` and
 * the checks as JUnit XML. Returns the verdict and the table; the CLI maps the decision to an
 * exit code.
 */
export async function applyGate(dir: string, summary: Summary, options: GateRunOptions = {}): Promise<GateRunResult> {
  const { junitFile = join(dir, 'junit.xml'), ...gate } = options;
  const verdict = evaluateGate(summary, gate);
  const judged: Summary = { ...summary, verdict };
  await writeFile(join(dir, 'summary.json'), `${JSON.stringify(judged, null, 2)}\n`);
  await writeFile(junitFile, toJUnitXml(verdict));
  return { verdict, summary: judged, table: formatVerdictTable(verdict, { runNames: runNamesOf(summary) }), junitFile };
}
