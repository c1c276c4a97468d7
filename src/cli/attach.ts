import { readInputFile } from '../gate/load.ts';
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
  const text = await readInputFile(scaleFile, 'scale results');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${scaleFile}: scale results are not JSON: ${(e as Error).message}`);
  }
  const parsed = scaleVectorsDocument.safeParse(json);
  if (!parsed.success) throw new InputError(describeZodIssues(scaleFile, parsed.error.issues));
  return { ...summary, scale: { ...parsed.data, file: scaleFile } };
}
