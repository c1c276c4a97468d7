import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DEBIAN_MANUAL_DIR, SETUP_HINT } from '../../src/stage-eval/extraction/references.ts';

/**
 * Path of a file of Debian's R manuals (r-doc-pdf, r-doc-html). Missing is a failure that says
 * how to install them, never a skip: CI installs them through scripts/setup-debian.sh.
 */
export function requireRManual(file: string): string {
  const path = join(DEBIAN_MANUAL_DIR, file);
  if (!existsSync(path)) throw new Error(`${path} is missing: ${SETUP_HINT}`);
  return path;
}
