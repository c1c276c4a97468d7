import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clusterCentres, clusteredVectors, vectorAt, type ClusteredSpec } from '../../bench/lib/clustered-vectors.ts';
import { dirSize } from '../../bench/lib/dir-size.ts';
import { exactTopK, recallAtK } from '../../bench/lib/exact-truth.ts';
import { percentile, summariseLatency } from '../../bench/lib/latency.ts';
import { processRss, processTree, totalPss } from '../../bench/lib/proc-memory.ts';
import { ResultsFile } from '../../bench/lib/results-file.ts';
import { scaleVectorEntry, scaleVectorsDocument } from '../../src/scale/vectors-schema.ts';

const spec: ClusteredSpec = { dimensions: 32, clusters: 5, spread: 0.8, seed: 3 };
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * (b[i] as number), 0);

describe('clustered synthetic vectors', () => {
  it('are unit vectors, the same for the same seed, and a smaller set is a prefix of a larger one', () => {
    const small = clusteredVectors(spec, 50);
    const large = clusteredVectors(spec, 200);
    expect(large.flat.subarray(0, small.flat.length)).toEqual(small.flat);
    expect(large.topics.subarray(0, 50)).toEqual(small.topics);
    for (let i = 0; i < 200; i++) expect(Math.hypot(...vectorAt(large.flat, 32, i))).toBeCloseTo(1, 5);
    expect(clusteredVectors({ ...spec, seed: 4 }, 50).flat).not.toEqual(small.flat);
  });

  it('cluster: closer to their own centre (1/sqrt(1 + spread²)) than to the others, and query streams differ', () => {
    const centres = clusterCentres(spec);
    const { flat, topics } = clusteredVectors(spec, 400);
    let own = 0;
    let other = 0;
    for (let i = 0; i < 400; i++) {
      const v = vectorAt(flat, 32, i);
      own += dot(v, centres[topics[i] as number] as Float32Array);
      other += dot(v, centres[((topics[i] as number) + 1) % 5] as Float32Array);
    }
    expect(own / 400).toBeCloseTo(1 / Math.sqrt(1 + 0.8 ** 2), 1);
    expect(Math.abs(other / 400)).toBeLessThan(0.35);
    expect(new Set(topics).size).toBe(5);
    expect(clusteredVectors(spec, 10, 1).flat).not.toEqual(clusteredVectors(spec, 10, 0).flat);
  });
});

describe('latency summary', () => {
  it('uses nearest-rank percentiles', () => {
    const times = Array.from({ length: 100 }, (_, i) => 100 - i); // 1..100 unsorted
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(percentile([], 0.5)).toBeNaN();
    expect(summariseLatency(times)).toEqual({ samples: 100, meanMs: 50.5, p50Ms: 50, p95Ms: 95, p99Ms: 99, maxMs: 100 });
  });
});

describe('exact truth and recall', () => {
  it('FAISS batch search gives the brute-force top k, and recall counts the overlap', () => {
    const { flat } = clusteredVectors(spec, 300);
    const queries = clusteredVectors(spec, 4, 1).flat;
    const truth = exactTopK(flat, 32, 300, queries, 10);
    for (let q = 0; q < 4; q++) {
      const query = vectorAt(queries, 32, q);
      const brute = Array.from({ length: 300 }, (_, i) => ({ i, s: dot(query, vectorAt(flat, 32, i)) }))
        .sort((a, b) => b.s - a.s)
        .slice(0, 10)
        .map((x) => x.i);
      expect(truth[q]).toEqual(brute);
    }
    const perfect = truth.map((labels) => labels.map((l) => `v${l}`));
    expect(recallAtK(perfect, truth, 10)).toBe(1);
    expect(recallAtK(perfect.map((ids) => [...ids.slice(0, 5), 'x1', 'x2', 'x3', 'x4', 'x5']), truth, 10)).toBe(0.5);
    // Over a prefix: labels beyond it never appear.
    expect(exactTopK(flat, 32, 20, queries, 10).flat().every((l) => l < 20)).toBe(true);
  });
});

describe('process memory and disk size', () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('reads RSS and PSS of live processes, nothing for a gone one', () => {
    const own = processRss(process.pid);
    expect(own?.rssBytes).toBeGreaterThan(10 * 2 ** 20);
    expect(own?.peakRssBytes).toBeGreaterThanOrEqual(own?.rssBytes ?? Number.POSITIVE_INFINITY);
    expect(processRss(2 ** 22 + 12345)).toBeUndefined();
    const tree = processTree(process.ppid);
    expect(tree).toContain(process.pid);
    expect(tree[0]).toBe(process.ppid);
    expect(totalPss([process.pid])).toBeGreaterThan(0);
  });

  it('sums the files of a folder tree', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dir-size-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'a'), Buffer.alloc(1000));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'b'), Buffer.alloc(234));
    expect(dirSize(dir)).toBe(1234);
    expect(dirSize(join(dir, 'missing'))).toBe(0);
  });

  it('rewrites the results file after every change, valid against the schema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'results-'));
    dirs.push(dir);
    const path = join(dir, 'out', 'vectors.json');
    const file = new ResultsFile(path, {
      schema: 'ragbench-scale-vectors/1' as const,
      startedAt: new Date().toISOString(),
      command: 'test',
      machine: { cpus: 2, cpuModel: 'x', memoryGiB: 1, node: 'v20', platform: 'linux-x64' },
      data: { dimensions: 512, clusters: 1000, spread: 0.8, seed: 7, queries: 300 },
      entries: [] as unknown[],
    });
    expect(JSON.parse(readFileSync(path, 'utf8')).entries).toEqual([]);
    const partial = { store: 'pgvector', target: 1_000_000, status: 'partial', reason: 'budget', inserted: 430_000, progress: [{ inserted: 430_000, seconds: 900 }], budgetSeconds: 900 };
    expect(scaleVectorEntry.parse(partial)).toEqual(partial);
    file.update((doc) => void doc.entries.push(partial));
    expect(scaleVectorsDocument.parse(JSON.parse(readFileSync(path, 'utf8'))).entries).toHaveLength(1);
    expect(() => scaleVectorEntry.parse({ ...partial, status: 'done' })).toThrow();
  });
});

describe('scale table', () => {
  it('shows partial builds with how far they got, and skipped stores with the reason', async () => {
    const { scaleTable } = await import('../../bench/lib/scale-markdown.ts');
    const table = scaleTable([
      { store: 'pgvector', target: 1_000_000, status: 'partial', inserted: 430_000, progress: [], budgetSeconds: 900, buildSeconds: 900, insertPerSecond: 478, recallAt10: 0.99, query: { samples: 300, meanMs: 3, p50Ms: 2.5, p95Ms: 7, p99Ms: 9, maxMs: 12 } },
      { store: 'pinecone', target: 100_000, status: 'skipped', reason: 'PINECONE_API_KEY is not set', inserted: 0, progress: [], budgetSeconds: 900 },
      { store: 'pgvector', target: 2_000_000, status: 'complete', inserted: 2_000_000, progress: [], budgetSeconds: 900, buildSeconds: 1500.04, indexSeconds: 1200.5 },
    ]);
    const lines = table.split('\n');
    expect(lines[2]).toContain('skipped: PINECONE_API_KEY is not set'); // sorted by size
    expect(lines[3]).toContain('**430,000** (budget 900 s)');
    expect(lines[3]).toContain('2.50 / 7.00 (300)');
    expect(lines[4]).toContain('| 1500.0 (index 1200.5) |'); // a bulk load's one index build, inside the build time
  });
});
