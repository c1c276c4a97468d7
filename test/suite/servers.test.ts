import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSuite } from '../../src/suite/runner.ts';
import { serversUsed, withServerUrls } from '../../src/suite/servers.ts';
import type { ResolvedRun } from '../../src/suite/matrix.ts';
import { InputError } from '../../src/util/errors.ts';

const run = (store: ResolvedRun['store']): ResolvedRun => ({
  extractor: { name: 'mupdf' },
  chunker: { name: 'sentence' },
  retriever: { name: 'dense' },
  embedder: { name: 'use-lite' },
  store,
});

describe('servers a suite starts itself', () => {
  const consensus = {
    name: 'consensus',
    backends: [
      { store: { name: 'chroma', server: 'chroma', reset: true } },
      { store: { name: 'faulty', store: { name: 'pgvector', server: 'postgres' }, crash: { server: 'kill', target: 'chroma' } } },
      { store: 'exact' },
    ],
  };

  it('finds every `server:` in a store spec, nested ones too, but not a fault\'s crash action', () => {
    expect([...serversUsed(run(consensus))].sort()).toEqual(['chroma', 'postgres']);
    expect(serversUsed(run({ name: 'faiss-flat' })).size).toBe(0);
  });

  it('replaces each `server:` with that server\'s url and leaves crash actions alone', () => {
    const resolved = withServerUrls(consensus, { chroma: 'http://127.0.0.1:4242', postgres: 'postgres://postgres@127.0.0.1:4343/ragbench' });
    expect(resolved.backends[0]).toEqual({ store: { name: 'chroma', url: 'http://127.0.0.1:4242', reset: true } });
    expect(resolved.backends[1]?.store).toEqual({
      name: 'faulty',
      store: { name: 'pgvector', url: 'postgres://postgres@127.0.0.1:4343/ragbench' },
      crash: { server: 'kill', target: 'chroma' },
    });
  });

  it('an unknown server kind is an input error naming where', () => {
    expect(() => withServerUrls({ name: 'chroma', server: 'qdrant' })).toThrowError(InputError);
    expect(() => withServerUrls({ name: 'chroma', server: 'qdrant' })).toThrowError('store.server: "qdrant" is not a server the suite can start');
  });

  it('runs a suite against a real Chroma it starts and stops itself, and measures the store on its own', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ragbench-servers-'));
    const file = join(dir, 'suite.yml');
    await writeFile(
      file,
      [
        'name: with-chroma',
        `golden: ${resolve('test/fixtures/golden-mini')}`,
        'latency: { samples: 40, rounds: 2 }',
        'backends: { concurrency: 4, queries: 60 }',
        'defaults: { extractor: mupdf, chunker: sentence, retriever: dense }',
        'runs:',
        '  - { name: chroma, store: { name: chroma, server: chroma, reset: true } }',
        '  - { name: exact, store: exact }',
      ].join('\n'),
    );
    const { summary } = await runSuite({ suiteFile: file, outDir: join(dir, 'reports'), cacheDir: join(dir, 'cache') });
    const [chroma, exact] = summary.runs;
    expect(chroma?.status, chroma?.error).toBe('completed');
    // The id keeps the configuration as written (no port), so a baseline on another day still matches.
    expect(chroma?.id).toContain('chroma(server=chroma,reset=true)');
    expect(chroma?.backend).toMatchObject({ version: 1, store: 'chroma', recallAt10VsExact: 1 });
    expect(chroma?.backend?.vectors).toBe(exact?.backend?.vectors);
    expect(chroma?.backend?.throughput).toMatchObject({ concurrency: 4, queries: 60, errors: 0 });
    expect(chroma?.backend?.throughput?.queriesPerSecond).toBeGreaterThan(0);
    expect(chroma?.accuracy?.semanticAccuracy).toBe(exact?.accuracy?.semanticAccuracy);
  });
});
