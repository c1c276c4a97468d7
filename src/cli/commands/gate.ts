import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { evaluateGate, exitCodeFor, formatVerdictTable, loadSummary, resolveThresholds, toJUnitXml } from '../../gate/index.ts';

interface GateFlags {
  baseline?: string;
  thresholds?: string;
  junit?: string;
  all?: boolean;
}

export function registerGate(program: Command): void {
  program
    .command('gate')
    .description('Judge a summary.json against thresholds (and a baseline): exit 0 GO, 1 NO-GO, 2 invalid input, 3 runtime error')
    .argument('<summary>', 'summary.json of a run')
    .option('--baseline <file>', 'a previous summary.json; runs of the same id are compared under the tolerances')
    .option('--thresholds <file>', "YAML/JSON thresholds (default: the suite's thresholds, else the production targets)")
    .option('--junit <file>', 'also write the checks as JUnit XML')
    .option('--all', 'list every passing check, not one line per run')
    .action(async (summaryFile: string, flags: GateFlags) => {
      const summary = await loadSummary(summaryFile);
      const baseline = flags.baseline === undefined ? undefined : await loadSummary(flags.baseline, 'baseline');
      const { thresholds, source } = await resolveThresholds(summary, flags.thresholds);
      const verdict = evaluateGate(summary, baseline ? { thresholds, baseline } : { thresholds });
      if (flags.junit !== undefined) await writeFile(flags.junit, toJUnitXml(verdict));
      const against = baseline ? `, baseline ${flags.baseline} (${baseline.runId})` : '';
      process.stdout.write(`ragbench gate ${summaryFile} (run ${summary.runId}; thresholds: ${source}${against})\n\n`);
      process.stdout.write(formatVerdictTable(verdict, { all: flags.all === true }));
      process.exitCode = exitCodeFor(verdict);
    });
}
