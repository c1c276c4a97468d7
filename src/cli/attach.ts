import { readFile } from 'node:fs/promises';
import { scaleVectorsDocument } from '../scale/vectors-schema.ts';
import type { Summary } from '../summary/schema.ts';
import { describeZodIssues, InputError } from '../util/errors.ts';
import { readAudit } from '../watch/audit.ts';

/** The summary with `ragbench watch`'s audit log attached (`--audit`), or as it is without one. */
export async function withRollbacks(summary: Summary, auditFile: string | undefined): Promise<Summary> {
  if (auditFile === undefined) return summary;
  return { ...summary, rollbacks: { file: auditFile, records: await readAudit(auditFile) } };
}

/** The summary with the scale benchmark's results attached (`--scale`): the report draws cost against size. */
export async function withScale(summary: Summary, scaleFile: string | undefined): Promise<Summary> {
  if (scaleFile === undefined) return summary;
  const parsed = scaleVectorsDocument.safeParse(await readJsonFile(scaleFile, 'scale results'));
  if (!parsed.success) throw new InputError(describeZodIssues(scaleFile, parsed.error.issues));
  return { ...summary, scale: { ...parsed.data, file: scaleFile } };
}

async function readJsonFile(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot read ${what}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InputError(`${file}: ${what} is not JSON: ${(e as Error).message}`);
  }
}
