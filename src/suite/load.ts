import { describeZodIssues, InputError } from '../util/errors.ts';
import { parseYamlText, readYamlText } from '../util/yaml-file.ts';
import { SuiteSchema, type Suite } from './schema.ts';

/** Reads and validates a suite file; errors name the file and the field (exit code 2). */
export async function loadSuite(file: string): Promise<Suite> {
  return parseSuite(await readYamlText(file, 'suite'), file);
}

export function parseSuite(yamlText: string, file: string): Suite {
  const result = SuiteSchema.safeParse(parseYamlText(yamlText, file) ?? {});
  if (!result.success) throw new InputError(describeZodIssues(file, result.error.issues));
  if (result.data.matrix.length === 0 && result.data.runs.length === 0 && !result.data.migration && !result.data.extraction) {
    // A suite with no matrix and no runs means "the defaults once" (a migration or extraction suite needs no pipeline runs).
    return { ...result.data, runs: [{}] };
  }
  return result.data;
}
