import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCacheFile } from '../../src/embed/cache-file.ts';
import { cacheKey } from '../../src/embed/cache.ts';
import { WORKER_DIMS, workerVector } from './append-worker.ts';

const WORKER = fileURLToPath(new URL('./append-worker.ts', import.meta.url));
const COUNT = 700;

function runWorker(file: string, tag: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, file, tag, String(COUNT)], { stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${tag} exited with ${code}`))));
  });
}

describe('embedding cache file under concurrent processes', () => {
  it('two writer processes and a reader: every record read is intact, none is lost', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ragbench-concurrent-')), 'worker.embeddings');
    const expected = new Map<string, Float32Array>();
    for (const tag of ['a', 'b']) {
      for (let i = 0; i < COUNT; i++) expected.set(cacheKey('worker', `${tag}-${i}`).toString('hex'), workerVector(`${tag}-${i}`));
    }
    let done = false;
    const writers = Promise.all([runWorker(file, 'a'), runWorker(file, 'b')]).finally(() => {
      done = true;
    });
    let reads = 0;
    while (!done) {
      const { entries } = await loadCacheFile(file, WORKER_DIMS);
      for (const [key, vector] of entries) expect(vector).toEqual(expected.get(key));
      reads++;
      await new Promise((r) => setTimeout(r, 5));
    }
    await writers;
    const { entries, skippedBytes } = await loadCacheFile(file, WORKER_DIMS);
    expect(reads).toBeGreaterThan(0);
    expect(skippedBytes).toBe(0);
    expect(entries.size).toBe(2 * COUNT);
    for (const [key, vector] of entries) expect(vector).toEqual(expected.get(key));
  });
});
