/**
 * The synthetic scale data set on disk (.cache/scale-vectors/): the corpus vectors (float32,
 * vector i at i*d), their topics, the queries, and the exact top 10 of each query per size.
 * Generated once; a smaller size reads the prefix of the file (vector i never depends on the size).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readInto, writePartsAndSync } from '../../src/store/large-file.ts';
import { clusteredVectors, type ClusteredSpec } from './clustered-vectors.ts';
import { exactTopK } from './exact-truth.ts';

export interface ScaleData {
  spec: ClusteredSpec;
  count: number;
  flat: Float32Array;
  topics: Uint32Array;
  queries: Float32Array;
  queryCount: number;
}

function names(dir: string, spec: ClusteredSpec) {
  const tag = `d${spec.dimensions}-c${spec.clusters}-s${spec.spread}-seed${spec.seed}`;
  return {
    vectors: join(dir, `vectors-${tag}.f32`),
    topics: join(dir, `topics-${tag}.u32`),
    meta: join(dir, `vectors-${tag}.json`),
    queries: (n: number) => join(dir, `queries-${tag}-q${n}.f32`),
    truth: (count: number, n: number) => join(dir, `truth-${tag}-n${count}-q${n}.json`),
  };
}

/** The first `bytes` of a file in a fresh buffer (a 2 GB prefix without a second copy). */
function readPrefix(file: string, bytes: number): Buffer {
  const out = Buffer.allocUnsafe(bytes);
  readInto(file, out);
  return out;
}

/** Makes sure the files hold at least `count` vectors and `queryCount` queries, generating them when not. */
export function ensureScaleData(dir: string, spec: ClusteredSpec, count: number, queryCount: number, log = console.log): void {
  mkdirSync(dir, { recursive: true });
  const files = names(dir, spec);
  const have = existsSync(files.meta) ? (JSON.parse(readFileSync(files.meta, 'utf8')) as { count: number }).count : 0;
  if (have < count) {
    const started = performance.now();
    const { flat, topics } = clusteredVectors(spec, count, 0);
    // Past 2 GiB (more than ~1M 512-d vectors) one write call is refused: written in chunks.
    writePartsAndSync(files.vectors, [new Uint8Array(flat.buffer, flat.byteOffset, flat.byteLength)]);
    writeFileSync(files.topics, new Uint8Array(topics.buffer, topics.byteOffset, topics.byteLength));
    writeFileSync(files.meta, JSON.stringify({ count, spec }));
    log(`generated ${count.toLocaleString('en')} vectors in ${((performance.now() - started) / 1000).toFixed(1)} s -> ${files.vectors}`);
  }
  if (!existsSync(files.queries(queryCount))) {
    const { flat } = clusteredVectors(spec, queryCount, 1);
    writeFileSync(files.queries(queryCount), new Uint8Array(flat.buffer, flat.byteOffset, flat.byteLength));
  }
}

export function loadScaleData(dir: string, spec: ClusteredSpec, count: number, queryCount: number): ScaleData {
  const files = names(dir, spec);
  const vectorBytes = readPrefix(files.vectors, count * spec.dimensions * 4);
  const topicBytes = readPrefix(files.topics, count * 4);
  const queryBytes = readFileSync(files.queries(queryCount));
  return {
    spec,
    count,
    flat: new Float32Array(vectorBytes.buffer, vectorBytes.byteOffset, count * spec.dimensions),
    topics: new Uint32Array(topicBytes.buffer, topicBytes.byteOffset, count),
    queries: new Float32Array(queryBytes.buffer.slice(queryBytes.byteOffset, queryBytes.byteOffset + queryBytes.byteLength)),
    queryCount,
  };
}

/** Exact top 10 of each query over the first `count` vectors: cached per size, computed for a partial build. */
export function truthFor(dir: string, data: ScaleData, count: number): number[][] {
  const file = names(dir, data.spec).truth(count, data.queryCount);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as number[][];
  const truth = exactTopK(data.flat, data.spec.dimensions, count, data.queries, 10);
  if (count === data.count) writeFileSync(file, JSON.stringify(truth));
  return truth;
}
