/**
 * Child process for the cache concurrency test: appends `count` records for "<tag>-<i>" in
 * batches of 7 to the cache file, each vector derived from its text so a reader can check it.
 * Usage: node --import tsx append-worker.ts <file> <tag> <count>
 */
import { CacheAppender } from '../../src/embed/cache-file.ts';
import { cacheKey } from '../../src/embed/cache.ts';

export const WORKER_DIMS = 64;

export function workerVector(text: string): Float32Array {
  const v = new Float32Array(WORKER_DIMS);
  for (let d = 0; d < WORKER_DIMS; d++) v[d] = (text.charCodeAt(d % text.length) * (d + 1)) % 97;
  return v;
}

if (process.argv[1]?.endsWith('append-worker.ts')) {
  const [file, tag, count] = process.argv.slice(2) as [string, string, string];
  const appender = new CacheAppender(file);
  const texts = Array.from({ length: Number(count) }, (_, i) => `${tag}-${i}`);
  for (let i = 0; i < texts.length; i += 7) {
    await appender.append(texts.slice(i, i + 7).map((t) => ({ key: cacheKey('worker', t), vector: workerVector(t) })));
  }
}
