import { applyGate, type GateMode, type Thresholds } from '../gate/index.ts';
import { writeReport } from '../report/index.ts';
import type { QueryRecord, Summary } from '../summary/schema.ts';
import { exitCodeForVerdict } from './commands/gate.ts';

export interface GateAndReportOptions {
  gate: boolean;
  mode: GateMode;
  thresholds: Thresholds;
  thresholdsSource: string;
  baseline?: Summary;
  junit?: string;
}

/**
 * What `run` and `merge` do with a finished summary: judge it when asked (verdict into
 * summary.json and JUnit, the table printed, the exit code set), then write report.html.
 */
export async function gateAndReport(dir: string, summary: Summary, records: readonly QueryRecord[], o: GateAndReportOptions): Promise<Summary> {
  let judged = summary;
  if (o.gate) {
    const gated = await applyGate(dir, summary, {
      thresholds: o.thresholds,
      mode: o.mode,
      ...(o.baseline && { baseline: o.baseline }),
      ...(o.junit !== undefined && { junitFile: o.junit }),
    });
    judged = gated.summary;
    process.stdout.write(`${gated.table}\n`);
    process.exitCode = exitCodeForVerdict(gated.verdict);
  }
  const report = await writeReport(dir, judged, records, { thresholds: o.thresholds, thresholdsSource: o.thresholdsSource, ...(o.baseline && { baseline: o.baseline }) });
  process.stdout.write(`summary: ${dir}/summary.json\nreport:  ${report}\n`);
  return judged;
}
