/**
 * Gives every question of a golden set a `split` (dev or test) by whole documents, in place:
 * a seeded shuffle of the manifest's document ids, the first third (rounded) are dev.
 * Every line keeps its bytes; only `,"split":"dev"` or `,"split":"test"` is added.
 *
 *   npx tsx scripts/assign-splits.ts [setDir] [--seed 1] [--dev-fraction 0.333]
 *
 * Re-running with the same rule changes nothing. golden/README.md, "Splits".
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { assignSplits, DEFAULT_SPLIT_RULE } from '../src/tune/splits.ts';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    seed: { type: 'string', default: String(DEFAULT_SPLIT_RULE.seed) },
    'dev-fraction': { type: 'string', default: String(DEFAULT_SPLIT_RULE.devFraction) },
  },
});
const dir = resolve(positionals[0] ?? 'golden/squad-dev');
const seed = Number(values.seed);
const devFraction = Number(values['dev-fraction']);
if (!Number.isInteger(seed) || !(devFraction > 0 && devFraction < 1)) {
  console.error('usage: assign-splits.ts [setDir] [--seed <integer>] [--dev-fraction <between 0 and 1>]');
  process.exit(2);
}

const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { documents: { id: string }[] };
const file = join(dir, 'questions.jsonl');
const before = await readFile(file, 'utf8');
const { text, devDocuments, counts } = assignSplits(
  before,
  manifest.documents.map((d) => d.id),
  { seed, devFraction },
);
if (text !== before) await writeFile(file, text);
const total = counts.dev.answerable + counts.test.answerable;
console.log(
  `${relative(process.cwd(), file)}: ${text === before ? 'unchanged' : 'rewritten'}; seed ${seed}, dev documents: ${devDocuments.join(', ')}\n` +
    `  dev:  ${counts.dev.questions} questions, ${counts.dev.answerable} answerable (${((100 * counts.dev.answerable) / Math.max(1, total)).toFixed(1)} %)\n` +
    `  test: ${counts.test.questions} questions, ${counts.test.answerable} answerable`,
);
