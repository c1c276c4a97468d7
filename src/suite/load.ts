import { readFile } from 'node:fs/promises';
import { parse, YAMLParseError } from 'yaml';
import { describeZodIssues, InputError } from '../util/errors.ts';
import { SuiteSchema, type Suite } from './schema.ts';

/** Reads and validates a suite file; errors name the file and the field (exit code 2). */
export async function loadSuite(file: string): Promise<Suite> {
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: cannot read suite: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return parseSuite(raw, file);
}

export function parseSuite(yamlText: string, file: string): Suite {
  let data: unknown;
  try {
    data = parse(yamlText);
  } catch (err) {
    if (err instanceof YAMLParseError) throw new InputError(`${file}: invalid YAML: ${err.message}`);
    throw err;
  }
  const result = SuiteSchema.safeParse(data ?? {});
  if (!result.success) throw new InputError(describeZodIssues(file, result.error.issues));
  if (result.data.matrix.length === 0 && result.data.runs.length === 0) {
    // A suite with no matrix and no runs means "the defaults once".
    return { ...result.data, runs: [{}] };
  }
  return result.data;
}
