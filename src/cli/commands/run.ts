import type { Command } from 'commander';
import { runSuite } from '../../suite/runner.ts';
import { progressBars } from '../progress-bars.ts';
import { formatRunTable } from '../run-table.ts';

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a suite: every configuration against a golden set; writes reports/<runId>/')
    .argument('[suite]', 'suite YAML file', 'suites/default.yml')
    .option('--golden <dir>', 'golden set folder (overrides the suite)')
    .option('--out <dir>', 'folder for run reports', 'reports')
    .option('--cache <dir>', 'embedding cache folder', '.cache/embeddings')
    .action(async (suite: string, opts: { golden?: string; out: string; cache: string }) => {
      const progress = progressBars();
      try {
        const run = await runSuite({
          suiteFile: suite,
          outDir: opts.out,
          cacheDir: opts.cache,
          progress,
          ...(opts.golden !== undefined && { golden: opts.golden }),
        });
        progress.close();
        process.stdout.write(`${formatRunTable(run.summary)}\n`);
        process.stdout.write(`\nsummary: ${run.dir}/summary.json\n`);
      } finally {
        progress.close();
      }
    });
}
