import { QueryRecordSchema, type QueryRecord } from '../summary/schema.ts';
import { InputError, describeZodIssues } from '../util/errors.ts';

/** queries.jsonl: one QueryRecord a line; errors name the file, the line and the field. */
export function parseQueries(text: string, file: string): QueryRecord[] {
  const out: QueryRecord[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (!line) continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      throw new InputError(`${file}:${i + 1}: not valid JSON: ${(err as Error).message}`);
    }
    const r = QueryRecordSchema.safeParse(json);
    if (!r.success) throw new InputError(describeZodIssues(`${file}:${i + 1}`, r.error.issues));
    out.push(r.data);
  }
  return out;
}
