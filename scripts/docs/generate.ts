/**
 * Writes the generated references: docs/cli.md and docs/http.md (the library's, docs/api/, is
 * TypeDoc's: `npm run docs:api`). `tsx scripts/docs/generate.ts [--out DIR]`; the staleness
 * test writes into a temporary DIR and compares.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderCliDoc } from './cli.ts';
import { renderHttpDoc } from './http.ts';

/** The generated documents, by file name inside docs/. */
export const GENERATED: Readonly<Record<string, () => Promise<string>>> = {
  'cli.md': renderCliDoc,
  'http.md': renderHttpDoc,
};

export async function generateDocs(outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const written: string[] = [];
  for (const [name, render] of Object.entries(GENERATED)) {
    const file = join(outDir, name);
    await writeFile(file, await render());
    written.push(file);
  }
  return written;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: fileURLToPath(new URL('../../docs', import.meta.url)) } } });
  for (const file of await generateDocs(values.out)) process.stdout.write(`wrote ${file}\n`);
}
