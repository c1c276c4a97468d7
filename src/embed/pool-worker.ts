/**
 * One pool worker: builds its own copy of a registry embedder and embeds the slices the
 * parent sends, one at a time. Started through pool-worker.mjs, which registers tsx.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PoolReply, PoolTask, PooledModelSpec } from './pool-protocol.ts';
import { createEmbedder } from './registry.ts';
import type { Embedder } from './types.ts';

const port = parentPort;
if (!port) throw new Error('pool-worker.ts runs only as a worker thread (started by PooledEmbedder)');

const spec = workerData as PooledModelSpec;
let embedder: Embedder | undefined;

async function embed(task: PoolTask): Promise<PoolReply> {
  try {
    // Created on the first task, so an unknown name is reported as that task's error.
    embedder ??= createEmbedder(spec.name, spec.options);
    const vectors =
      task.kind === 'query' ? [await embedder.embedQuery(task.texts[0] ?? '')] : await embedder.embedDocuments(task.texts);
    const dimensions = embedder.dimensions;
    const packed = new Float32Array(vectors.length * dimensions);
    vectors.forEach((v, i) => packed.set(v, i * dimensions));
    return { ok: true, id: embedder.id, count: vectors.length, dimensions, packed };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
}

port.on('message', (task: PoolTask) => {
  void embed(task).then((reply) => port.postMessage(reply, reply.ok ? [reply.packed.buffer as ArrayBuffer] : []));
});
