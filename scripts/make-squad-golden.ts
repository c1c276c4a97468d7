/**
 * Builds golden/squad-dev/ from the shared SQuAD 2.0 dev extract: one PDF per article,
 * questions with their answers and the page range of the paragraph they came from.
 *
 *   npx tsx scripts/make-squad-golden.ts [squad.json] [outDir]
 *
 * Needs the fonts of Debian's fonts-dejavu-core and fonts-droid-fallback.
 */
import { readFile } from 'node:fs/promises';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { stripInvisible } from './lib/golden-layout.ts';
import { writeGoldenSet, type SourceDocument, type SourceQuestion } from './lib/write-golden-set.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
if (!process.argv[2]) {
  console.error('usage: npx tsx scripts/make-squad-golden.ts <SQuAD 2.0 dev JSON> [outDir]');
  process.exit(2);
}
const input = resolve(process.argv[2]);
const outDir = resolve(process.argv[3] ?? resolve(repoRoot, 'golden/squad-dev'));

const squadSchema = z.object({
  version: z.literal('v2.0'),
  data: z.array(
    z.object({
      title: z.string().min(1),
      paragraphs: z.array(
        z.object({
          context: z.string().min(1),
          qas: z.array(
            z.object({
              id: z.string().min(1),
              question: z.string().min(1),
              is_impossible: z.boolean(),
              answers: z.array(z.object({ text: z.string().min(1), answer_start: z.number().int().min(0) })),
            }),
          ),
        }),
      ),
    }),
  ),
});

const parsed = squadSchema.safeParse(JSON.parse(await readFile(input, 'utf8')));
if (!parsed.success) {
  throw new Error(`${input}: not a SQuAD 2.0 file:\n${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')}`);
}

const documents: SourceDocument[] = [];
const questions: SourceQuestion[] = [];
for (const article of parsed.data.data) {
  documents.push({ id: article.title, title: article.title.replaceAll('_', ' '), paragraphs: article.paragraphs.map((p) => p.context) });
  article.paragraphs.forEach((p, paragraph) => {
    for (const qa of p.qas) {
      const answerable = !qa.is_impossible;
      for (const a of qa.answers) {
        // SQuAD gives the answer's offset; check it before we keep only the text.
        if (p.context.slice(a.answer_start, a.answer_start + a.text.length) !== a.text) {
          throw new Error(`${input}: question ${qa.id}: answer "${a.text}" is not at offset ${a.answer_start}`);
        }
        if (!stripInvisible(p.context).includes(stripInvisible(a.text))) {
          throw new Error(`${input}: question ${qa.id}: answer "${a.text}" lost when invisible characters were removed`);
        }
      }
      questions.push({
        id: qa.id,
        question: qa.question,
        answers: answerable ? qa.answers.map((a) => a.text) : [],
        evidence: answerable ? [{ doc: article.title, paragraph }] : [],
      });
    }
  });
}

const result = await writeGoldenSet({
  dir: outDir,
  name: 'squad-dev-v2',
  source:
    'SQuAD 2.0 development set (Rajpurkar, Jia & Liang, 2018), 12 Wikipedia articles, https://rajpurkar.github.io/SQuAD-explorer/; rendered to PDF by ragbench scripts/make-squad-golden.ts',
  license: 'CC BY-SA 4.0',
  documents,
  questions,
  pdf: {
    author: 'Wikipedia contributors, via SQuAD 2.0 (CC BY-SA 4.0)',
    creator: 'ragbench scripts/make-squad-golden.ts',
    date: new Date('2018-06-11T00:00:00Z'),
  },
});

const pages = result.documents.reduce((s, d) => s + d.pages, 0);
const bytes = result.documents.reduce((s, d) => s + d.bytes, 0);
console.log(
  `${relative(process.cwd(), outDir) || '.'}: ${result.documents.length} documents, ${pages} pages, ` +
    `${(bytes / 1024).toFixed(0)} KiB of PDF; ${result.questions} questions, ${result.answerable} answerable; ` +
    `${result.paragraphsAcrossPages} paragraphs (${result.evidenceAcrossPages} evidence passages) cross a page break`,
);
for (const d of result.documents) console.log(`  ${d.id}: ${d.pages} pages, ${(d.bytes / 1024).toFixed(0)} KiB`);
