/**
 * Child process for the pool tests: embeds with a 2-worker pool, then closes it ("close") or
 * leaves it idle ("idle"), and prints the worker counts. The process must then exit by itself.
 * Usage: node --import tsx pool-exit-script.ts close|idle
 */
import { PooledEmbedder } from '../../src/embed/pool.ts';
import { createPooledEmbedder } from '../../src/embed/registry.ts';

const mode = process.argv[2];
const pool = createPooledEmbedder('use-lite', { batchSize: 2 }, { size: 2 });
if (!(pool instanceof PooledEmbedder)) throw new Error('createPooledEmbedder should pool use-lite');
const vectors = await pool.embedDocuments(['one', 'two', 'three', 'four', 'five', 'six']);
const during = pool.workers;
if (mode === 'close') await pool.close();
process.stdout.write(JSON.stringify({ vectors: vectors.length, during, after: pool.workers }) + '\n');
