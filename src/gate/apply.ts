import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Summary, Verdict } from '../summary/schema.ts';
import { EXIT } from '../cli/exit.ts';
import { evaluateGate, type GateOptions } from './evaluate.ts';
import { toJUnitXml } from './junit.ts';
import { formatVerdictTable } from './table.ts';

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
  exitCode: typeof EXIT.ok | typeof EXIT.noGo;
  junitFile: string;
}

export function exitCodeFor(verdict: Verdict): GateRunResult['exitCode'] {
  return verdict.decision === 'GO' ? EXIT.ok : EXIT.noGo;
}

/**
 * For `ragbench run --gate`: judges the run, writes the verdict into `<dir>/summary.json` and
 * the checks as JUnit XML. Returns the table for the CLI to print and the exit code to use.
 */
export async function applyGate(dir: string, summary: Summary, options: GateRunOptions = {}): Promise<GateRunResult> {
  const { junitFile = join(dir, 'junit.xml'), ...gate } = options;
  const verdict = evaluateGate(summary, gate);
  const judged: Summary = { ...summary, verdict };
  await writeFile(join(dir, 'summary.json'), `${JSON.stringify(judged, null, 2)}\n`);
  await writeFile(junitFile, toJUnitXml(verdict));
  return { verdict, summary: judged, table: formatVerdictTable(verdict), exitCode: exitCodeFor(verdict), junitFile };
}
