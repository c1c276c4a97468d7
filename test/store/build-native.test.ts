import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const script = fileURLToPath(new URL('../../scripts/build-native.mjs', import.meta.url));

function run(...args: string[]) {
  return spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 120_000 });
}

describe('scripts/build-native.mjs (the postinstall)', () => {
  it('is a no-op once both addons load and answer a smoke search', () => {
    const r = run();
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('faiss-node: loads and searches, nothing to do');
    expect(r.stdout).toContain('hnswlib-node: loads and searches, nothing to do');
  });

  it('rejects an unknown --only target', () => {
    const r = run('--only=chroma');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--only=chroma: expected one of faiss, hnswlib');
  });
});
