import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDocs, GENERATED } from '../../scripts/docs/generate.ts';
import { REGENERATE } from '../../scripts/docs/notice.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCS = join(ROOT, 'docs');
let scratch: string;

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'ragbench-docs-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

describe('generated documents match the code', () => {
  it(`docs/cli.md and docs/http.md are what \`${REGENERATE}\` writes`, async () => {
    const out = join(scratch, 'generated');
    const written = await generateDocs(out);
    expect(written.map((f) => relative(out, f)).sort()).toEqual(Object.keys(GENERATED).sort());
    for (const name of Object.keys(GENERATED)) {
      const fresh = await readFile(join(out, name), 'utf8');
      const committed = await readFile(join(DOCS, name), 'utf8').catch(() => '(missing)');
      expect(committed, `docs/${name} is stale: run \`${REGENERATE}\` and commit the result`).toBe(fresh);
      // Deterministic and portable: nothing of this machine in the text.
      expect(fresh).not.toContain(ROOT);
      expect(fresh).not.toMatch(/\b20\d\d-\d\d-\d\dT/);
    }
  });

  it(`docs/api/ is what TypeDoc writes (\`npm run docs:api\`)`, async () => {
    const out = join(scratch, 'api');
    await promisify(execFile)(join(ROOT, 'node_modules/.bin/typedoc'), ['--out', out], { cwd: ROOT, encoding: 'utf8' });
    const fresh = await filesUnder(out);
    const committed = await filesUnder(join(DOCS, 'api')).catch(() => []);
    const stale = `docs/api/ is stale: run \`${REGENERATE}\` (or \`npm run docs:api\`) and commit the result`;
    expect(committed, stale).toEqual(fresh);
    expect(fresh).toContain('README.md');
    for (const file of fresh) {
      const text = await readFile(join(out, file), 'utf8');
      expect(await readFile(join(DOCS, 'api', file), 'utf8'), `${stale} (${file} differs)`).toBe(text);
      expect(text).not.toContain(ROOT);
    }
  });
});
