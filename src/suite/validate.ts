import { validateChunker } from '../chunk/registry.ts';
import { validateEmbedder } from '../embed/registry.ts';
import { extractorNames } from '../extract/registry.ts';
import { optionsOf, usesDenseRetrieval, needsEmbedder } from '../pipeline/assemble.ts';
import { validateRetriever } from '../retrieve/registry.ts';
import { validateStore } from '../store/registry.ts';
import { InputError } from '../util/errors.ts';
import type { NamedRun } from './names.ts';

/**
 * Checks every stage name and option of every configuration before any work starts, so a
 * typo in the last run of a long suite fails in a second (exit 2), not after an hour.
 */
export function validateRuns(file: string, runs: readonly NamedRun[]): void {
  const problems: string[] = [];
  for (const { run, name } of runs) {
    const check = (what: () => void): void => {
      try {
        what();
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        problems.push(`${file}: run "${name}": ${err.message}`);
      }
    };
    check(() => {
      if (!extractorNames().includes(run.extractor.name)) {
        throw new InputError(`unknown extractor "${run.extractor.name}"; known: ${extractorNames().join(', ')}`);
      }
      const extra = Object.keys(optionsOf(run.extractor));
      if (extra.length > 0) throw new InputError(`extractor "${run.extractor.name}" takes no options (got ${extra.join(', ')})`);
    });
    check(() => validateChunker(run.chunker));
    check(() => validateRetriever(run.retriever.name, optionsOf(run.retriever)));
    if (needsEmbedder(run)) check(() => validateEmbedder(run.embedder.name, optionsOf(run.embedder)));
    if (usesDenseRetrieval(run)) check(() => validateStore(run.store.name, optionsOf(run.store)));
  }
  if (problems.length > 0) throw new InputError([...new Set(problems)].join('\n'));
}
