import { open, readFile } from 'node:fs/promises';
import { InputError } from '../util/errors.ts';
import { AuditRecordSchema, type AuditRecord } from './schema.ts';

/** Appends one record as a JSON line and fsyncs it: a rollback is on disk before anything else happens. */
export async function appendAudit(file: string, record: AuditRecord): Promise<void> {
  const handle = await open(file, 'a');
  try {
    await handle.write(`${JSON.stringify(AuditRecordSchema.parse(record))}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Reads an audit log, every line checked against the schema; a bad line names its number. */
export async function readAudit(file: string): Promise<AuditRecord[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: cannot read audit log: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((line, i) => {
      let json: unknown;
      try {
        json = JSON.parse(line);
      } catch (e) {
        throw new InputError(`${file}: line ${i + 1}: not JSON: ${(e as Error).message}`);
      }
      const r = AuditRecordSchema.safeParse(json);
      if (!r.success) throw new InputError(`${file}: line ${i + 1}: ${r.error.issues.map((x) => `${x.path.join('.') || '(root)'}: ${x.message}`).join('; ')}`);
      return r.data;
    });
}
