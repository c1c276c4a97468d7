import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { evaluateGate, formatVerdictTable, GATE_MODES, runNamesOf, loadSummary, resolveThresholds, toJUnitXml, type GateMode } from '../../gate/index.ts';
import type { Verdict } from '../../summary/schema.ts';
import { EXIT } from '../exit.ts';
import { withRollbacks } from '../attach.ts';

interface GateFlags {
  baseline?: string;
  thresholds?: string;
  junit?: string;
  all?: boolean;
  mode: GateMode;
  audit?: string;
}

/** The gate decides; the CLI turns the decision into the exit code CI reads. */
export function exitCodeForVerdict(verdict: Verdict): typeof EXIT.ok | typeof EXIT.noGo {
  return verdict.decision === 'GO' ? EXIT.ok : EXIT.noGo;
}

export function modeOption(): Option {
  return new Option('--mode <mode>', 'what blocks: local and predeploy: targets and regressions; nightly: regressions (target misses are warnings)')
    .choices(GATE_MODES)
    .default('local');
}

export function registerGate(program: Command): void {
  program
    .command('gate')
    .description('Judge a summary.json against thresholds (and a baseline): exit 0 GO, 1 NO-GO, 2 invalid input, 3 runtime error')
    .argument('<summary>', 'summary.json of a run')
    .option('--baseline <file>', 'a previous summary.json; runs of the same id (else name) are compared under the tolerances, with significance tests')
    .option('--thresholds <file>', "YAML/JSON thresholds (default: the suite's thresholds, else the production targets)")
    .addOption(modeOption())
    .option('--junit <file>', 'also write the checks as JUnit XML')
    .option('--all', 'list every passing check, not one line per run')
    .option('--audit <file>', "ragbench watch's audit log: every rollback it fired is a failed check and a trigger (NO-GO in every mode)")
    .action(async (summaryFile: string, flags: GateFlags) => {
      const summary = await withRollbacks(await loadSummary(summaryFile), flags.audit);
      const baseline = flags.baseline === undefined ? undefined : await loadSummary(flags.baseline, 'baseline');
      const { thresholds, source } = await resolveThresholds(summary, flags.thresholds);
      const verdict = evaluateGate(summary, { thresholds, mode: flags.mode, ...(baseline && { baseline }) });
      if (flags.junit !== undefined) await writeFile(flags.junit, toJUnitXml(verdict));
      const against = baseline ? `, baseline ${flags.baseline} (${baseline.runId})` : '';
      process.stdout.write(`ragbench gate ${summaryFile} (run ${summary.runId}; mode ${flags.mode}; thresholds: ${source}${against})\n\n`);
      process.stdout.write(formatVerdictTable(verdict, { all: flags.all === true, runNames: runNamesOf(summary) }));
      process.exitCode = exitCodeForVerdict(verdict);
    });
}
