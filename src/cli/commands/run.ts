import type { Command } from 'commander';
import { DEFAULT_THRESHOLDS, loadSummary, loadThresholds, type GateMode } from '../../gate/index.ts';
import { gateAndReport } from '../gate-and-report.ts';
import { runSuite } from '../../suite/runner.ts';
import { parseShard } from '../../shard/spec.ts';
import { EXIT } from '../exit.ts';
import { progressBars } from '../progress-bars.ts';
import { formatRunTable } from '../run-table.ts';
import { modeOption } from './gate.ts';

interface RunFlags {
  golden?: string;
  out: string;
  cache: string;
  gate?: boolean;
  baseline?: string;
  thresholds?: string;
  junit?: string;
  mode: GateMode;
  shard?: string;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a suite: every configuration against a golden set; writes reports/<runId>/ (summary.json, queries.jsonl, report.html)')
    .argument('[suite]', 'suite YAML file', 'suites/default.yml')
    .option('--golden <dir>', 'golden set folder (overrides the suite)')
    .option('--out <dir>', 'folder for run reports', 'reports')
    .option('--cache <dir>', 'embedding cache folder', '.cache/embeddings')
    .option('--gate', 'judge the run and exit 1 on NO-GO (writes the verdict into summary.json and junit.xml)')
    .option('--baseline <file>', 'a previous summary.json to compare against (report deltas; rollback triggers with --gate)')
    .option('--thresholds <file>', "YAML/JSON thresholds (default: the suite's, else the production targets)")
    .option('--junit <file>', 'where --gate writes JUnit XML (default <run dir>/junit.xml)')
    .addOption(modeOption())
    .option('--shard <i/n>', 'run shard i of n: a share of the configurations (one configuration: of the questions); join the shards with ragbench merge')
    .action(async (suite: string, flags: RunFlags) => {
      const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
      // Read the baseline and thresholds first: a typo should fail in a second, not after the run.
      const baseline = flags.baseline === undefined ? undefined : await loadSummary(flags.baseline, 'baseline');
      const fileThresholds = flags.thresholds === undefined ? undefined : await loadThresholds(flags.thresholds);
      const progress = progressBars();
      // The first Ctrl-C stops the run in progress and keeps the finished ones; a second one kills.
      const stop = new AbortController();
      const onSigint = (): void => {
        progress.note('interrupted: finishing summary.json with the runs that completed (Ctrl-C again to kill)');
        stop.abort();
        process.once('SIGINT', () => process.exit(EXIT.interrupted));
      };
      process.once('SIGINT', onSigint);
      let run;
      try {
        run = await runSuite({
          suiteFile: suite,
          outDir: flags.out,
          cacheDir: flags.cache,
          progress,
          signal: stop.signal,
          ...(flags.golden !== undefined && { golden: flags.golden }),
          ...(shard && { shard }),
        });
      } finally {
        process.removeListener('SIGINT', onSigint);
        progress.close();
      }
      const thresholds = fileThresholds ?? run.suite.thresholds ?? DEFAULT_THRESHOLDS;
      const thresholdsSource = flags.thresholds ?? (run.suite.thresholds ? `${suite} thresholds` : 'production defaults');
      process.stdout.write(`${formatRunTable(run.summary)}\n\n`);
      const summary = await gateAndReport(run.dir, run.summary, run.records, {
        gate: flags.gate === true,
        mode: flags.mode,
        thresholds,
        thresholdsSource,
        ...(baseline && { baseline }),
        ...(flags.junit !== undefined && { junit: flags.junit }),
      });
      if (run.interrupted) {
        process.stderr.write(`ragbench: interrupted; summary.json keeps the ${summary.runs.filter((r) => r.status === 'completed').length} runs that completed\n`);
        process.exitCode = EXIT.interrupted;
      } else if (summary.runs.length > 0 && summary.runs.every((r) => r.status === 'errored')) {
        // Nothing was measured: a run that only errored must not look like success.
        process.stderr.write(`ragbench: every run errored (first: ${summary.runs[0]?.error ?? 'unknown'})\n`);
        process.exitCode = EXIT.runtimeError;
      }
    });
}
