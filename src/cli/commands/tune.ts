import { readFile, writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { currentValue } from '../../tune/apply.ts';
import { describeSettings } from '../../tune/grid.ts';
import { formatTuneTable } from '../../tune/table.ts';
import { tuneSuite } from '../../tune/tune.ts';
import { writeTunedValues } from '../../tune/write.ts';
import { progressBars } from '../progress-bars.ts';

interface TuneFlags {
  write?: boolean;
  golden?: string;
  cache: string;
}

export function registerTune(program: Command): void {
  program
    .command('tune')
    .description("search the parameters the suite's `tune:` block declares, scored on the golden set's dev split only; prints every candidate and the chosen values with their provenance")
    .argument('<suite>', 'suite YAML file with a `tune:` block')
    .option('--write', "record the chosen values in the suite file: set them in the tuned run and list them under `tuned:` (comments are kept)")
    .option('--golden <dir>', 'golden set folder (overrides the suite)')
    .option('--cache <dir>', 'embedding cache folder', '.cache/embeddings')
    .action(async (suiteFile: string, flags: TuneFlags) => {
      const progress = progressBars();
      let result;
      try {
        result = await tuneSuite({
          suiteFile,
          cacheDir: flags.cache,
          progress,
          ...(flags.golden !== undefined && { golden: flags.golden }),
        });
      } finally {
        progress.close();
      }
      const { tune, best, candidates } = result;
      const out = (s: string): boolean => process.stdout.write(`${s}\n`);
      out(
        `ragbench tune ${suiteFile}: run "${tune.run}", ${candidates.length} candidates on the ${result.golden.name} dev split ` +
          `(${result.golden.devQuestions} questions, ${result.golden.devAnswerable} answerable), objective ${tune.objective}\n`,
      );
      out(formatTuneTable(candidates, tune.objective, best));
      out('');
      out(`chosen (#${best.index}): ${describeSettings(best.settings)}`);
      for (const s of best.settings) {
        const was = currentValue(result.baseRun, result.suite.defaults, s.parameter);
        out(`  ${s.parameter}: ${was === undefined ? '(default)' : String(was)} -> ${String(s.value)}`);
      }
      if (result.indistinguishable > 1) {
        out(`${result.indistinguishable} of ${candidates.length} candidates score inside the chosen one's 95 % interval: on these questions the data cannot tell them apart.`);
      }
      out(`source: ${result.provenance}`);
      out(`took ${result.seconds.toFixed(0)} s`);
      if (flags.write) {
        const text = await readFile(suiteFile, 'utf8');
        const updated = writeTunedValues(text, suiteFile, {
          run: tune.run,
          settings: best.settings,
          tunedSpec: result.tunedRun,
          source: result.provenance,
        });
        await writeFile(suiteFile, updated);
        out(`wrote the chosen values and their source to ${suiteFile} (runs: ${tune.run}; tuned:)`);
      } else {
        out('(not written; add --write to record them in the suite)');
      }
    });
}
