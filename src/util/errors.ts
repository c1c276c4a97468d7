/**
 * Input the user gave us is invalid (suite YAML, golden files, summary.json, thresholds).
 * The CLI maps it to exit code 2; the message names the file and the field.
 */
export class InputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Formats zod issues as "file: field.path: message" lines. */
export function describeZodIssues(
  where: string,
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
): string {
  return issues
    .map((i) => `${where}: ${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`)
    .join('\n');
}

/**
 * A configuration that cannot run here for a stated reason that is not a failure (a hosted
 * backend without credentials): the run is recorded as `skipped` with this message, never faked.
 */
export class SkipRunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SkipRunError';
  }
}
