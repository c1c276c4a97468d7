import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Bytes of the regular files under `path` (an index's size on disk); 0 when it does not exist. */
export function dirSize(path: string): number {
  let stat;
  try {
    stat = lstatSync(path);
  } catch {
    return 0;
  }
  if (stat.isFile()) return stat.size;
  if (!stat.isDirectory()) return 0;
  return readdirSync(path).reduce((sum, entry) => sum + dirSize(join(path, entry)), 0);
}
