import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A package manager's folder as npm_execpath points into it: <dir>/bin/<name>-cli.js beside <dir>/package.json. */
export function fakeClient(scratch: string, name: string, version: string): string {
  const dir = join(scratch, `${name}-${version}`);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version }));
  writeFileSync(join(dir, 'bin', `${name}-cli.js`), '');
  return join(dir, 'bin', `${name}-cli.js`);
}
