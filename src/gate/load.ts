import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { SUMMARY_SCHEMA, SUMMARY_SCHEMA_V1, SummarySchema, type Summary } from '../summary/schema.ts';
import { SuiteSchema } from '../suite/schema.ts';
import { InputError, describeZodIssues } from '../util/errors.ts';
import { DEFAULT_THRESHOLDS, ThresholdsSchema, type Thresholds } from './thresholds.ts';

/**
 * Reads a file the user named. A missing or unreadable path is the user's input being wrong,
 * so it is an InputError (exit 2), like a malformed file; other I/O failures stay runtime errors.
 */
export async function readInputFile(file: string, role: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new InputError(`${role} ${file}: no such file`);
    if (code === 'EISDIR') throw new InputError(`${role} ${file}: is a directory, expected a file`);
    if (code === 'ENOTDIR' || code === 'EACCES') throw new InputError(`${role} ${file}: cannot be read (${code})`);
    throw err;
  }
}

/**
 * A version-1 summary cannot be judged or compared: citationAccuracy and relevance changed
 * meaning in version 2, so its numbers would be compared with different measures.
 */
function refuseV1(file: string, role: string): InputError {
  const fix =
    role === 'baseline'
      ? 're-run the baseline with this version of ragbench (e.g. `ragbench run <suite>` on the baseline\'s code) and pass its summary.json'
      : 're-run the suite with this version of ragbench';
  return new InputError(
    `${file}: schema: this ${role} is ${SUMMARY_SCHEMA_V1}; this ragbench reads ${SUMMARY_SCHEMA}, in which the metrics changed meaning ` +
      `(citationAccuracy now judges the answer citation against the gold evidence — version 1's measure is citationFaithfulness — and relevance is judged by answer occurrence), ` +
      `so its numbers are not comparable: ${fix}`,
  );
}

/** A summary.json (or a baseline), validated; errors name the file and the field. */
export function parseSummary(text: string, file: string, role = 'summary'): Summary {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  if (json !== null && typeof json === 'object' && (json as { schema?: unknown }).schema === SUMMARY_SCHEMA_V1) throw refuseV1(file, role);
  const r = SummarySchema.safeParse(json);
  if (!r.success) throw new InputError(describeZodIssues(file, r.error.issues));
  return r.data;
}

export async function loadSummary(file: string, role = 'summary'): Promise<Summary> {
  return parseSummary(await readInputFile(file, role), file, role);
}

/** Thresholds from YAML or JSON text: either the thresholds mapping itself or a file with a `thresholds:` key. */
export function parseThresholds(text: string, file: string): Thresholds {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new InputError(`${file}: not valid YAML/JSON: ${(err as Error).message}`);
  }
  const wrapped = doc !== null && typeof doc === 'object' && !Array.isArray(doc) && 'thresholds' in doc;
  if (!wrapped) {
    const suiteKeys = suiteOnlyKeys(doc);
    if (suiteKeys.length) {
      throw new InputError(
        `${file}: looks like a suite (it has ${suiteKeys.map((k) => `${k}:`).join(', ')}) but sets no thresholds: — ` +
          'add a `thresholds:` section to it, or give --thresholds a thresholds file, or leave --thresholds out to use the suite the summary names (else the production targets)',
      );
    }
  }
  const value = wrapped ? (doc as { thresholds: unknown }).thresholds : (doc ?? {});
  const r = ThresholdsSchema.safeParse(value);
  if (!r.success) throw new InputError(describeZodIssues(wrapped ? `${file}: thresholds` : file, r.error.issues));
  return r.data;
}

/** Keys only a suite has (a thresholds map has metric paths, defaults: true|false, runs: and tolerances:). */
const THRESHOLD_KEYS = new Set(['defaults', 'runs', 'tolerances', 'modes']);
function suiteOnlyKeys(doc: unknown): string[] {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) return [];
  const suiteKeys = new Set(Object.keys(SuiteSchema.shape));
  const keys = Object.keys(doc).filter((k) => suiteKeys.has(k) && !THRESHOLD_KEYS.has(k));
  const d = doc as Record<string, unknown>;
  // A suite's defaults: is a mapping of stages and its runs: a list; a thresholds file's are not.
  if (d.defaults !== null && typeof d.defaults === 'object') keys.push('defaults');
  if (Array.isArray(d.runs)) keys.push('runs');
  return keys;
}

export async function loadThresholds(file: string): Promise<Thresholds> {
  return parseThresholds(await readInputFile(file, 'thresholds'), file);
}

export interface ThresholdsSource {
  thresholds: Thresholds;
  /** Where they came from, for the CLI to say. */
  source: string;
}

/**
 * The thresholds a gate uses: the file given, else the `thresholds:` of the suite the summary
 * names (when that file is still there), else the production targets.
 */
export async function resolveThresholds(summary: Summary, file?: string): Promise<ThresholdsSource> {
  if (file !== undefined) return { thresholds: await loadThresholds(file), source: file };
  const suiteFile = summary.suite.file;
  let text: string;
  try {
    text = await readFile(suiteFile, 'utf8');
  } catch {
    return { thresholds: DEFAULT_THRESHOLDS, source: `production defaults (suite file ${suiteFile} not found)` };
  }
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new InputError(`${suiteFile}: not valid YAML: ${(err as Error).message}`);
  }
  if (doc === null || typeof doc !== 'object' || !('thresholds' in doc) || doc.thresholds == null) {
    return { thresholds: DEFAULT_THRESHOLDS, source: `production defaults (suite ${suiteFile} sets no thresholds)` };
  }
  return { thresholds: parseThresholds(text, suiteFile), source: `${suiteFile} thresholds` };
}
