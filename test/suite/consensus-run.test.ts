import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateGate, parseThresholds } from '../../src/gate/index.ts';
import { runSuite } from '../../src/suite/runner.ts';
import type { Summary } from '../../src/summary/schema.ts';

/** A consensus suite on the mini set: fault-free, one lying backend, one down during ingest. */
describe('consensus scenarios through the runner (real in-process backends, real model)', () => {
  let summary: Summary;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ragbench-consensus-'));
    const file = join(dir, 'suite.yml');
    const three = (third: string): string => `{ name: consensus, query: { quorum: 0.6 }, backends: [{ store: exact }, { store: faiss-flat }, { store: ${third} }] }`;
    await writeFile(
      file,
      [
        'name: consensus-mini',
        `golden: ${resolve('test/fixtures/golden-mini')}`,
        'latency: { samples: 40, rounds: 2 }',
        'faultFree: healthy',
        'defaults: { extractor: mupdf, chunker: sentence, retriever: dense }',
        'runs:',
        `  - { name: healthy, store: ${three('hnswlib')} }`,
        `  - { name: liar, store: ${three('{ name: faulty, store: hnswlib, byzantine: { mode: random-ids } }')} }`,
        `  - { name: down-at-ingest, store: ${three('{ name: faulty, store: hnswlib, crash: { afterCalls: 0, restartAfterMs: 200 } }')} }`,
      ].join('\n'),
    );
    ({ summary } = await runSuite({ suiteFile: file, outDir: join(dir, 'reports'), cacheDir: join(dir, 'cache') }));
  });

  it('records agreement, the quorum and each backend\'s injected faults', () => {
    const [healthy, liar] = summary.runs;
    expect(healthy?.consensus).toMatchObject({ version: 1, quorum: 0.6, agreement: 1, answeredFraction: 1, chunksLost: 0, identicalToFaultFree: 1 });
    expect(healthy?.consensus?.faultFreeRun).toBe('healthy');
    expect(liar?.consensus?.perBackend.map((b) => b.faults)).toEqual([[], [], ['byzantine (mode random-ids, fraction 1, afterQueries 0)']]);
    expect(liar?.consensus?.perBackend[2]?.suspect).toBe(true);
    expect(liar?.consensus?.identicalToFaultFree).toBe(1);
    expect(liar?.consensus?.overheadP95VsSlowestHealthy).not.toBeNull();
  });

  it('a backend down during ingest catches up from its write-ahead log: 0 chunks lost, consistent at the end', () => {
    const down = summary.runs[2]?.consensus;
    expect(down?.perBackend[2]?.faults).toEqual(['crash (afterCalls 0, restartAfterMs 200)']);
    expect(down?.writes.walAppends).toBeGreaterThan(0);
    expect(down?.writes.walPending).toBe(0);
    expect(down?.reconcile?.consistent).toBe(true);
    expect(down?.chunksLost).toBe(0);
  });

  it('the gate judges consensus.agreement and consensus.chunksLost', () => {
    const verdict = evaluateGate(summary, { thresholds: parseThresholds('defaults: false\nconsensus.chunksLost: "== 0"\nconsensus.identicalToFaultFree: ">= 0.99"\n', 't') });
    expect(verdict.decision).toBe('GO');
    const broken = structuredClone(summary);
    broken.runs[2]!.consensus!.chunksLost = 3;
    const noGo = evaluateGate(broken, { thresholds: parseThresholds('defaults: true\n', 't') });
    expect(noGo.checks.find((c) => c.metric === 'consensus.chunksLost' && !c.pass)?.run).toBe(summary.runs[2]?.id);
  });
});
