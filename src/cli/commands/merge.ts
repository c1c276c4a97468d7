import type { Command } from 'commander';
import { loadSummary, resolveThresholds, type GateMode } from '../../gate/index.ts';
import { gateAndReport } from '../gate-and-report.ts';
import { readShards, writeMerged } from '../../shard/files.ts';
import { mergeShards } from '../../shard/merge.ts';
import { formatRunTable } from '../run-table.ts';
import { modeOption } from './gate.ts';

interface MergeFlags {
  out: string;
  gate?: boolean;
  baseline?: string;
  thresholds?: string;
  junit?: string;
  mode: GateMode;
}

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('join the shards of a suite run (ragbench run --shard i/n) into one summary.json, queries.jsonl and report.html under <out>/<runId>/')
    .argument('<summaries...>', "every shard's summary.json (its queries.jsonl beside it)")
    .option('--out <dir>', 'folder for the merged run (points <out>/latest at it)', 'reports')
    .option('--gate', 'judge the merged run and exit 1 on NO-GO (writes the verdict into summary.json and junit.xml)')
    .option('--baseline <file>', 'a previous summary.json to compare against (report deltas; rollback triggers with --gate)')
    .option('--thresholds <file>', "YAML/JSON thresholds (default: the suite's, else the production targets)")
    .option('--junit <file>', 'where --gate writes JUnit XML (default <run dir>/junit.xml)')
    .addOption(modeOption())
    .action(async (files: string[], flags: MergeFlags) => {
      const baseline = flags.baseline === undefined ? undefined : await loadSummary(flags.baseline, 'baseline');
      const { shards, withQueries } = await readShards(files);
      const merged = mergeShards(shards);
      if (!withQueries) process.stderr.write('ragbench merge: no queries.jsonl beside the shards: the report has no question drill-down\n');
      if (merged.summary.merged?.machinesAlike === false) {
        process.stderr.write('ragbench merge: the shards ran on unlike machines (merged.shards names each): latency figures across them are not comparable\n');
      }
      const dir = await writeMerged(flags.out, merged.summary, merged.records);
      const { thresholds, source } = await resolveThresholds(merged.summary, flags.thresholds);
      const summary = merged.summary;
      process.stdout.write(`merged ${shards.length} shards (by ${summary.merged?.by ?? 'configurations'})\n${formatRunTable(summary)}\n\n`);
      await gateAndReport(dir, summary, merged.records, {
        gate: flags.gate === true,
        mode: flags.mode,
        thresholds,
        thresholdsSource: source,
        ...(baseline && { baseline }),
        ...(flags.junit !== undefined && { junit: flags.junit }),
      });
    });
}
