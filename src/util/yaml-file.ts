import { readFile } from 'node:fs/promises';
import { parse, YAMLParseError } from 'yaml';
import { InputError } from './errors.ts';

/** YAML text as data; a syntax error is an InputError naming the file. */
export function parseYamlText(text: string, file: string): unknown {
  try {
    return parse(text);
  } catch (err) {
    if (err instanceof YAMLParseError) throw new InputError(`${file}: invalid YAML: ${err.message}`);
    throw err;
  }
}

/** Reads a YAML file the user named (`what`: "suite", "config"); unreadable or invalid is an InputError. */
export async function readYamlText(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(`${file}: cannot read ${what}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
