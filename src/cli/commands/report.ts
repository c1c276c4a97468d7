import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { loadSummary, resolveThresholds } from '../../gate/index.ts';
import { loadQueriesBeside, writeReport } from '../../report/index.ts';
import { withRollbacks, withScale } from '../attach.ts';

interface ReportFlags {
  baseline?: string;
  thresholds?: string;
  out?: string;
  audit?: string;
  scale?: string;
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('Re-render report.html from a summary.json and the queries.jsonl beside it')
    .argument('<summary>', 'summary.json of a run')
    .option('--baseline <file>', 'a previous summary.json to compare with (re-evaluates the verdict)')
    .option('--thresholds <file>', 'YAML/JSON thresholds (re-evaluates the verdict)')
    .option('--out <file>', 'where to write the HTML (default: report.html beside the summary)')
    .option('--audit <file>', "ragbench watch's audit log: the rollbacks it fired join the report and fail the verdict (re-evaluates it)")
    .option('--scale <file>', 'results of npm run bench:scale-vectors (reports/scale/vectors.json): drawn as cost against size')
    .action(async (summaryFile: string, flags: ReportFlags) => {
      const summary = await withScale(await withRollbacks(await loadSummary(summaryFile), flags.audit), flags.scale);
      const baseline = flags.baseline === undefined ? undefined : await loadSummary(flags.baseline, 'baseline');
      const beside = await loadQueriesBeside(summaryFile);
      if (!beside) process.stderr.write(`ragbench report: no queries.jsonl beside ${summaryFile}: the report has no question drill-down\n`);
      // A stored verdict is kept unless the user asks for a new judgement.
      const rejudge = baseline !== undefined || flags.thresholds !== undefined || flags.audit !== undefined || summary.verdict === undefined;
      const resolved = rejudge ? await resolveThresholds(summary, flags.thresholds) : undefined;
      const out = await writeReport(dirname(summaryFile), summary, beside?.queries ?? [], {
        out: flags.out ?? join(dirname(summaryFile), 'report.html'),
        ...(baseline ? { baseline } : {}),
        ...(resolved ? { thresholds: resolved.thresholds, thresholdsSource: resolved.source } : {}),
      });
      process.stdout.write(`${out}\n`);
    });
}
