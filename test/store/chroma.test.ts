import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChromaServer, chromaHeartbeat } from '../../src/servers/chroma.ts';
import { freePort } from '../../src/servers/port.ts';
import { fromChromaMetadata, toChromaMetadata } from '../../src/store/chroma.ts';
import { createStore, validateStore } from '../../src/store/registry.ts';
import type { VectorRecord, VectorStore } from '../../src/store/types.ts';
import { describeStoreContract } from './contract.ts';
import { embedFixture, randomUnitVectors } from './data.ts';

// A real Chroma server (the chromadb package's own `chroma run`), started here on a free
// loopback port with its data in a temporary folder, and stopped in afterAll even on failure.
const real = await embedFixture();
const server = await ChromaServer.create();
let startMs = 0;

beforeAll(async () => {
  const started = performance.now();
  await server.start();
  startMs = performance.now() - started;
}, 60_000);

afterAll(async () => {
  await server.stop();
  rmSync(server.dataDir, { recursive: true, force: true });
}, 30_000);

let collections = 0;
let lastCollection = '';
const UNREACHABLE = /chroma at http:\/\/127\.0\.0\.1:\d+ is not reachable: .*npm run chroma:start/;
const nowhere = await freePort(); // nothing listens there: the port was free and nobody took it

describeStoreContract(
  {
    name: 'chroma',
    create: (d) => {
      lastCollection = `contract-${++collections}`;
      return createStore('chroma', d, { url: server.url, collection: lastCollection });
    },
    reopen: (d) => createStore('chroma', d, { url: server.url, collection: lastCollection }),
    unreachable: {
      create: (d) => createStore('chroma', d, { host: '127.0.0.1', port: nowhere, collection: 'down' }),
      message: UNREACHABLE,
    },
    // HNSW with Chroma's defaults (ef_search 100, M 16) on random 64-d vectors, the hard case.
    minRecall: 0.9,
  },
  real,
);

describe('chroma options and metadata mapping', () => {
  it('validates options strictly, naming the field', () => {
    expect(() => validateStore('chroma', { url: 'http://127.0.0.1:8000', collection: 'ok-name' })).not.toThrow();
    expect(() => validateStore('chroma', { url: 'http://x:1', port: 3 })).toThrow(/url or host and port/);
    expect(() => validateStore('chroma', { collection: 'x' })).toThrow(/chroma options: collection: 3-512 characters/);
    expect(() => validateStore('chroma', { colection: 'abc' })).toThrow(/chroma options.*colection/);
    expect(() => validateStore('chroma', { url: 'ftp://127.0.0.1' })).toThrow(/chroma options: url/);
  });

  it('without an address (no url, no CHROMA_URL) says how to get one', async () => {
    const saved = process.env.CHROMA_URL;
    delete process.env.CHROMA_URL;
    try {
      await expect(createStore('chroma', 8)).rejects.toThrow(/chroma: no server address: .*npm run chroma:start/);
    } finally {
      if (saved !== undefined) process.env.CHROMA_URL = saved;
    }
  });

  it('carries nulls through a reserved key and refuses reserved keys', async () => {
    const metadata = { documentId: 'd', page: 2, draft: true, note: null, title: '' };
    expect(toChromaMetadata(metadata)).toEqual({ documentId: 'd', page: 2, draft: true, title: '', 'ragbench:nulls': '["note"]' });
    expect(fromChromaMetadata(toChromaMetadata(metadata))).toEqual(metadata);
    expect(toChromaMetadata(undefined)).toBeNull();
    const store = await createStore('chroma', real.dimensions, { url: server.url, collection: 'reserved' });
    const vector = real.sentences[0]?.vector as Float32Array;
    await expect(store.upsert([{ id: 'a', vector, metadata: { documentId: 'd', 'chroma:x': 1 } }])).rejects.toThrow(
      /chroma: metadata key "chroma:x" of record a is reserved/,
    );
    await expect(store.upsert([{ id: 'a', vector, metadata: { documentId: 'd', n: Number.NaN } }])).rejects.toThrow(/finite numbers/);
    expect(await store.count()).toBe(0);
    await store.close();
  });
});

describe('chroma store against the real server', () => {
  it('replaces metadata on re-upsert: keys the new record lacks are gone (Chroma alone would merge them)', async () => {
    const store = await createStore('chroma', real.dimensions, { url: server.url, collection: 'replace' });
    const [a, b] = real.sentences as [VectorRecord, VectorRecord];
    await store.upsert([
      { ...a, metadata: { documentId: 'x', page: 3, note: null } },
      { ...b, metadata: { documentId: 'x', page: 1 } },
    ]);
    await store.upsert([{ id: a.id, vector: a.vector, metadata: { documentId: 'y' } }, { id: b.id, vector: b.vector }]);
    const [gotA, gotB] = await store.get([a.id, b.id]);
    expect(gotA?.metadata).toEqual({ documentId: 'y' });
    expect(gotB?.metadata).toBeUndefined();
    expect(await store.deleteByDocument('x')).toBe(0);
    expect(await store.count()).toBe(2);
    await store.close();
  });

  it('pages through listIds and deleteByDocument beyond one batch', async () => {
    const store = await createStore('chroma', 16, { url: server.url, collection: 'paging', batchSize: 100 });
    const records = randomUnitVectors(350, 16, 5).map((vector, i) => ({
      id: `p${i}`,
      vector,
      metadata: { documentId: i % 2 === 0 ? 'even' : 'odd' },
    }));
    await store.upsert(records);
    expect((await store.listIds()).sort()).toEqual(records.map((r) => r.id).sort());
    expect(await store.deleteByDocument('even')).toBe(175);
    expect(await store.count()).toBe(175);
    expect((await store.get(['p0', 'p1', 'p349'])).map((r) => r.id)).toEqual(['p1', 'p349']);
    await store.close();
  });

  it('refuses to open a collection of another dimension or distance, naming it', async () => {
    const first = await createStore('chroma', 8, { url: server.url, collection: 'dims' });
    await first.upsert(randomUnitVectors(3, 8, 1).map((vector, i) => ({ id: `d${i}`, vector })));
    await first.close();
    await expect(createStore('chroma', 16, { url: server.url, collection: 'dims' })).rejects.toThrow(
      /chroma: collection dims at http:\/\/127\.0\.0\.1:\d+ holds 8-dimensional vectors, the store holds 16/,
    );
    const reset = await createStore('chroma', 16, { url: server.url, collection: 'dims', reset: true });
    expect(await reset.count()).toBe(0);
    await reset.close();
    const neverMade = await createStore('chroma', 16, { url: server.url, collection: 'never-made', reset: true });
    expect(await neverMade.count()).toBe(0);
    await neverMade.close();
  });

  it('a server that accepts connections but never answers fails within timeoutMs, not hangs', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    const port = await freePort();
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    try {
      const started = performance.now();
      await expect(createStore('chroma', 8, { host: '127.0.0.1', port, timeoutMs: 500 })).rejects.toThrow(
        new RegExp(`chroma at http://127.0.0.1:${port} did not answer within 500 ms`),
      );
      expect(performance.now() - started).toBeLessThan(3_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('the managed Chroma server', () => {
  it('starts quickly, on loopback, with its data in its own folder', () => {
    expect(server.pid).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(existsSync(server.dataDir)).toBe(true);
    expect(startMs).toBeLessThan(30_000);
  });

  it('killed mid-use (SIGKILL), operations fail with the clear error; restarted, the data is still there', async () => {
    const records = randomUnitVectors(200, 32, 11).map((vector, i) => ({ id: `k${i}`, vector, metadata: { documentId: 'kill' } }));
    const store: VectorStore = await createStore('chroma', 32, { url: server.url, collection: 'crash' });
    await store.upsert(records);
    const before = (await store.query(records[7]?.vector as Float32Array, 5)).map((h) => h.id);
    const pid = server.pid;

    await server.kill();
    expect(server.pid).toBeUndefined();
    expect(() => process.kill(pid as number, 0)).toThrow(); // the process is really gone
    const started = performance.now();
    await expect(store.query(records[0]?.vector as Float32Array, 5)).rejects.toThrow(UNREACHABLE);
    await expect(store.upsert(records.slice(0, 1))).rejects.toThrow(UNREACHABLE);
    expect(performance.now() - started).toBeLessThan(10_000);

    await server.restart();
    expect(server.pid).not.toBe(pid);
    expect(await chromaHeartbeat(server.url)).toBe(true);
    // Same store object, same port and data: everything written before the crash is back.
    expect(await store.count()).toBe(200);
    expect((await store.query(records[7]?.vector as Float32Array, 5)).map((h) => h.id)).toEqual(before);
    expect((await store.get(['k3']))[0]?.metadata).toEqual({ documentId: 'kill' });
    await store.close();
  });

  it('stops gracefully with SIGTERM and comes back on the same port and data', async () => {
    const store = await createStore('chroma', 32, { url: server.url, collection: 'crash' });
    const started = performance.now();
    await server.stop();
    const stopMs = performance.now() - started;
    expect(server.pid).toBeUndefined();
    expect(stopMs).toBeLessThan(10_000);
    await server.start();
    expect(await store.count()).toBe(200);
    await store.close();
  });

  it('refuses to start on a port that is taken, naming it', async () => {
    const other = await ChromaServer.create({ port: server.port });
    await expect(other.start()).rejects.toThrow(`chroma: cannot start on ${server.url}: port ${server.port} is already in use`);
    rmSync(other.dataDir, { recursive: true, force: true });
  });

  it('a server that cannot start says why, with the line of its output that tells', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ragbench-chroma-bad-'));
    writeFileSync(join(dataDir, 'chroma.sqlite3'), 'not a database '.repeat(100));
    const broken = await ChromaServer.create({ dataDir, startTimeoutMs: 20_000 });
    try {
      await expect(broken.start()).rejects.toThrow(
        /chroma: could not start a server on http:\/\/127\.0\.0\.1:\d+ \(data .*ragbench-chroma-bad-.*\): the server exited \(\w+\) before it answered\n--- server output ---[\s\S]*file is not a database/,
      );
      expect(broken.pid).toBeUndefined();
    } finally {
      await broken.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
