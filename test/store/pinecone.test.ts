import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/servers/port.ts';
import { NULL_KEYS_FIELD } from '../../src/store/pinecone-metadata.ts';
import { createStore } from '../../src/store/registry.ts';
import type { VectorRecord, VectorStore } from '../../src/store/types.ts';
import { SkipRunError } from '../../src/util/errors.ts';
import { PineconeStandin } from '../servers/pinecone-standin.ts';
import { describeStoreContract } from './contract.ts';
import { embedFixture, randomUnitVectors } from './data.ts';

// The adapter runs the official SDK against a local stand-in of Pinecone's REST API
// (test/servers/pinecone-standin.ts): this proves the adapter's request path, not Pinecone.
const real = await embedFixture();

/** Test-only variable names, so a real PINECONE_API_KEY in the environment is never used or sent here. */
const KEY_ENV = 'RAGBENCH_TEST_PINECONE_KEY';
const WRONG_KEY_ENV = 'RAGBENCH_TEST_PINECONE_WRONG_KEY';
const UNSET_ENV = 'RAGBENCH_TEST_PINECONE_UNSET';
const KEY = `standin-${randomUUID()}`;

// Writes become visible 30 ms after they are acknowledged: the contract runs under eventual consistency.
const standin = new PineconeStandin({ apiKey: KEY, visibilityDelayMs: 30 });

beforeAll(async () => {
  await standin.start();
  process.env[KEY_ENV] = KEY;
  process.env[WRONG_KEY_ENV] = 'not-the-key';
  delete process.env[UNSET_ENV];
});
afterAll(async () => {
  await standin.close();
  delete process.env[KEY_ENV];
  delete process.env[WRONG_KEY_ENV];
});

let namespaces = 0;
let lastNamespace = '';

async function indexFor(dimensions: number): Promise<{ index: string; host: string }> {
  const index = `ragbench-${dimensions}`;
  return { index, host: await standin.createIndex(index, dimensions) };
}

async function open(dimensions: number, options: Record<string, unknown> = {}): Promise<VectorStore> {
  return createStore('pinecone', dimensions, {
    ...(await indexFor(dimensions)),
    controllerHost: standin.controllerUrl,
    namespace: lastNamespace,
    apiKeyEnv: KEY_ENV,
    hostEnv: UNSET_ENV,
    timeoutMs: 5_000,
    settlePollMs: 10,
    ...options,
  });
}

/** A store on a namespace nobody used yet: empty, as the contract wants. */
function fresh(dimensions: number, options: Record<string, unknown> = {}): Promise<VectorStore> {
  lastNamespace = `ns-${++namespaces}`;
  return open(dimensions, options);
}

describeStoreContract(
  {
    name: 'pinecone',
    create: (d) => fresh(d),
    // Pinecone keeps the namespace: a new store object on the same index and namespace sees it.
    reopen: (d) => open(d),
    unreachable: {
      create: async (d) =>
        createStore('pinecone', d, { host: `http://127.0.0.1:${await freePort()}`, apiKeyEnv: KEY_ENV, hostEnv: UNSET_ENV }),
      message: /^pinecone: cannot reach http:\/\/127\.0\.0\.1:\d+ during describeIndexStats \(.*ECONNREFUSED.*\); check the store option "host"/,
    },
    minRecall: 1,
  },
  real,
);

describe('pinecone adapter against the stand-in', () => {
  const records = (n: number, dimensions = 64, seed = 5): VectorRecord[] =>
    randomUnitVectors(n, dimensions, seed).map((vector, i) => ({ id: `r${i}`, vector, metadata: { documentId: `d${i % 4}` } }));

  it('without an API key the run is skipped with the reason, before any request', async () => {
    const before = standin.requests.length;
    const saved = process.env.PINECONE_API_KEY;
    delete process.env.PINECONE_API_KEY;
    try {
      const { host } = await indexFor(64);
      const attempt = createStore('pinecone', 64, { host });
      await expect(attempt).rejects.toBeInstanceOf(SkipRunError);
      await expect(createStore('pinecone', 64, { host })).rejects.toThrow(
        'pinecone: PINECONE_API_KEY is not set; the run is skipped, not faked',
      );
      await expect(createStore('pinecone', 64, { host, apiKeyEnv: UNSET_ENV })).rejects.toThrow(
        `pinecone: ${UNSET_ENV} is not set; the run is skipped, not faked`,
      );
    } finally {
      if (saved !== undefined) process.env.PINECONE_API_KEY = saved;
    }
    // A key but no index and no host: skipped too.
    const noIndex = createStore('pinecone', 64, { apiKeyEnv: KEY_ENV, hostEnv: UNSET_ENV });
    await expect(noIndex).rejects.toBeInstanceOf(SkipRunError);
    await expect(createStore('pinecone', 64, { apiKeyEnv: KEY_ENV, hostEnv: UNSET_ENV })).rejects.toThrow(
      `pinecone: no index configured (set the store option "host" or "index", or ${UNSET_ENV}); the run is skipped, not faked`,
    );
    expect(standin.requests.length).toBe(before);
  });

  it('takes the host from the variable hostEnv names when the suite gives none', async () => {
    const { host } = await indexFor(64);
    process.env.RAGBENCH_TEST_PINECONE_HOST = host;
    try {
      lastNamespace = `ns-${++namespaces}`;
      const store = await createStore('pinecone', 64, {
        apiKeyEnv: KEY_ENV,
        hostEnv: 'RAGBENCH_TEST_PINECONE_HOST',
        namespace: lastNamespace,
      });
      await store.upsert(records(3));
      expect(await store.count()).toBe(3);
    } finally {
      delete process.env.RAGBENCH_TEST_PINECONE_HOST;
    }
  });

  it('rejects unknown or invalid options, naming them', async () => {
    await expect(createStore('pinecone', 64, { apiKeyEnv: KEY_ENV, hots: 'x' })).rejects.toThrow(/pinecone options: .*hots/);
    await expect(createStore('pinecone', 64, { apiKeyEnv: KEY_ENV, batchSize: 1001 })).rejects.toThrow(
      /pinecone options: batchSize/,
    );
  });

  it('a wrong key fails with an error naming Pinecone, the address and the key variable', async () => {
    const { index, host } = await indexFor(64);
    // Index named: the control plane refuses first.
    await expect(
      createStore('pinecone', 64, { index, host, controllerHost: standin.controllerUrl, apiKeyEnv: WRONG_KEY_ENV }),
    ).rejects.toThrow(
      `pinecone: ${standin.controllerUrl} (index "${index}") rejected the API key in ${WRONG_KEY_ENV} (401 Unauthorized) during describeIndex; set ${WRONG_KEY_ENV} to an API key of the Pinecone project that holds the index`,
    );
    // Host only: the index host refuses.
    await expect(createStore('pinecone', 64, { host, apiKeyEnv: WRONG_KEY_ENV, hostEnv: UNSET_ENV })).rejects.toThrow(
      `pinecone: ${host} rejected the API key in ${WRONG_KEY_ENV} (401 Unauthorized) during describeIndexStats`,
    );
  });

  it("the SDK's requests go to the configured host, with the key and the SDK's API version", async () => {
    const { index, host } = await indexFor(64);
    const mark = standin.requests.length;
    const store = await fresh(64);
    await store.upsert(records(10));
    await store.query(records(1)[0]?.vector as Float32Array, 3);
    await store.get(['r1']);
    await store.listIds();
    await store.deleteByDocument('d1');
    await store.delete(['r0']);
    const seen = standin.requests.slice(mark);
    const data = seen.filter((r) => r.server !== 'control');
    expect(seen.filter((r) => r.server === 'control').map((r) => `${r.method} ${r.path}`)).toEqual([`GET /indexes/${index}`]);
    expect(new Set(data.map((r) => r.server))).toEqual(new Set([index]));
    expect(new Set(data.map((r) => r.host))).toEqual(new Set([new URL(host).host]));
    expect(seen.every((r) => r.apiKeyValid && r.apiVersion === '2026-04')).toBe(true);
    expect(new Set(data.map((r) => `${r.method} ${r.path}`))).toEqual(
      new Set([
        'POST /describe_index_stats',
        'POST /vectors/upsert',
        'GET /vectors/fetch',
        'POST /query',
        'GET /vectors/list',
        'POST /vectors/fetch_by_metadata',
        'POST /vectors/delete',
      ]),
    );
    // Every data request names the store's namespace.
    for (const r of data.filter((x) => x.method === 'GET')) expect(r.query.get('namespace')).toBe(lastNamespace);
  });

  it('with only a host configured, nothing goes to the control plane', async () => {
    const { host } = await indexFor(64);
    const mark = standin.requests.length;
    lastNamespace = `ns-${++namespaces}`;
    const store = await createStore('pinecone', 64, { host, apiKeyEnv: KEY_ENV, hostEnv: UNSET_ENV, namespace: lastNamespace });
    await store.upsert(records(2));
    expect(standin.requests.slice(mark).some((r) => r.server === 'control')).toBe(false);
  });

  it('refuses an index whose metric is not cosine, and one of another dimension', async () => {
    const host = await standin.createIndex('dot-64', 64, 'dotproduct');
    const base = { controllerHost: standin.controllerUrl, apiKeyEnv: KEY_ENV, hostEnv: UNSET_ENV };
    await expect(createStore('pinecone', 64, { ...base, index: 'dot-64', host })).rejects.toThrow(
      'pinecone: index "dot-64" uses metric "dotproduct"; ragbench needs "cosine" (its scores are cosine similarities): create the index with metric "cosine"',
    );
    const wrong = await indexFor(512);
    await expect(createStore('pinecone', 64, { ...base, ...wrong })).rejects.toThrow(
      'pinecone: index ragbench-512 holds 512-dimensional vectors, the store holds 64: use an index created with dimension 64',
    );
    await expect(createStore('pinecone', 64, { ...base, host: wrong.host })).rejects.toThrow(
      `pinecone: index ${wrong.host} holds 512-dimensional vectors, the store holds 64`,
    );
    await expect(createStore('pinecone', 64, { ...base, index: 'no-such-index' })).rejects.toThrow(
      /pinecone: .* \(index "no-such-index"\) answered 404 during describeIndex/,
    );
  });

  it('upserts in batches of batchSize records and under 2 MB a request', async () => {
    const mark = standin.requests.length;
    const store = await fresh(64, { batchSize: 100 });
    await store.upsert(records(250));
    const upserts = () => standin.requests.slice(mark).filter((r) => r.path === '/vectors/upsert').length;
    expect(upserts()).toBe(3);
    expect(await store.count()).toBe(250);

    // 100 records of ~30 KB metadata each (~3 MB): split by size although batchSize allows one request.
    const heavy = records(100, 64, 9).map((r) => ({ ...r, id: `h-${r.id}`, metadata: { documentId: 'heavy', text: 'x'.repeat(30_000) } }));
    const before = upserts();
    await store.upsert(heavy);
    expect(upserts() - before).toBe(2);
    expect(await store.count()).toBe(350);
    expect((await store.get(['h-r7']))[0]?.metadata?.text).toHaveLength(30_000);
  });

  it('maps null metadata to a list of null keys (Pinecone holds no null) and reserves that key', async () => {
    const store = await fresh(64);
    const [a] = records(1);
    await store.upsert([{ ...(a as VectorRecord), metadata: { documentId: 'n', gone: null, also: null, kept: 'yes' } }]);
    expect((await store.get(['r0']))[0]?.metadata).toEqual({ documentId: 'n', gone: null, also: null, kept: 'yes' });
    await expect(
      store.upsert([{ ...(a as VectorRecord), metadata: { documentId: 'n', [NULL_KEYS_FIELD]: 'x' } }]),
    ).rejects.toThrow(`pinecone: record r0: metadata key "${NULL_KEYS_FIELD}" is reserved`);
  });

  it('refuses an all-zero vector and a k above Pinecone\'s topK limit, before any request', async () => {
    const store = await fresh(64);
    const mark = standin.requests.length;
    await expect(store.upsert([{ id: 'z', vector: new Float32Array(64) }])).rejects.toThrow(
      'pinecone: record z has an all-zero vector',
    );
    await expect(store.query(records(1)[0]?.vector as Float32Array, 10_001)).rejects.toThrow(
      "pinecone: k = 10001 exceeds Pinecone's topK limit of 10000",
    );
    expect(standin.requests.length).toBe(mark);
    const [a] = records(1);
    await expect(
      store.upsert([{ ...(a as VectorRecord), metadata: { documentId: 'big', text: 'x'.repeat(2_100_000) } }]),
    ).rejects.toThrow(/^pinecone: record r0 is \d+ bytes as JSON; Pinecone accepts at most 2 MB a request$/);
    expect(standin.requests.filter((r) => r.path === '/vectors/upsert').length).toBe(
      standin.requests.slice(0, mark).filter((r) => r.path === '/vectors/upsert').length,
    );
  });

  it("passes Pinecone's own refusals on, naming the operation and the host", async () => {
    const store = await fresh(64);
    await expect(store.query(new Float32Array(64), 3)).rejects.toThrow(
      /^pinecone: query on http:\/\/127\.0\.0\.1:\d+ failed: .*at least one non-zero value/,
    );
  });

  describe('eventual consistency', () => {
    afterAll(() => {
      standin.visibilityDelayMs = 30;
    });

    it('waits until the index shows its writes (settle), and without waiting the lag is visible', async () => {
      standin.visibilityDelayMs = 300;
      const waiting = await fresh(64);
      const started = performance.now();
      await waiting.upsert(records(20));
      expect(performance.now() - started).toBeGreaterThanOrEqual(250);
      expect(await waiting.count()).toBe(20);
      await waiting.delete(['r0', 'r1']);
      expect(await waiting.count()).toBe(18);
      expect(await waiting.deleteByDocument('d2')).toBe(5);
      expect((await waiting.listIds()).length).toBe(13);

      const eager = await fresh(64, { settleTimeoutMs: 0 });
      await eager.upsert(records(20));
      expect(await eager.count()).toBe(0); // acknowledged, not yet visible
      await new Promise((r) => setTimeout(r, 400));
      expect(await eager.count()).toBe(20);
    });

    it('a replaced vector is awaited too (the count alone cannot show it)', async () => {
      standin.visibilityDelayMs = 200;
      const store = await fresh(64);
      const [a, b] = records(2);
      await store.upsert([a as VectorRecord, b as VectorRecord]);
      await store.upsert([{ ...(a as VectorRecord), vector: (b as VectorRecord).vector }]);
      const hits = await store.query((b as VectorRecord).vector, 2);
      expect(hits.map((h) => h.score)).toEqual([expect.closeTo(1, 5), expect.closeTo(1, 5)]);
    });

    it('gives up after settleTimeoutMs with an error that says why', async () => {
      standin.visibilityDelayMs = 2_000;
      const store = await fresh(64, { settleTimeoutMs: 150 });
      await expect(store.upsert(records(5))).rejects.toThrow(
        /^pinecone: after upsert, namespace "ns-\d+" on http:\/\/127\.0\.0\.1:\d+ shows 0 records \(expected 5\) after 150 ms: Pinecone has not caught up \(it is eventually consistent\)/,
      );
    });
  });

  describe('a slow or failing Pinecone', () => {
    afterAll(() => {
      standin.mode = { kind: 'up' };
    });

    it('a request that gets no answer within timeoutMs fails, naming the timeout', async () => {
      const store = await fresh(64, { timeoutMs: 300 });
      standin.mode = { kind: 'slow', delayMs: 3_000 };
      const started = performance.now();
      await expect(store.count()).rejects.toThrow(
        /^pinecone: describeIndexStats on http:\/\/127\.0\.0\.1:\d+ got no answer within timeoutMs = 300 ms/,
      );
      expect(performance.now() - started).toBeLessThan(2_000);
      standin.mode = { kind: 'up' };
    });

    it('server errors are retried maxRetries times, then fail naming the host', async () => {
      const store = await fresh(64, { maxRetries: 1 });
      const mark = standin.requests.length;
      standin.mode = { kind: 'down' };
      await expect(store.query(records(1)[0]?.vector as Float32Array, 3)).rejects.toThrow(
        /^pinecone: http:\/\/127\.0\.0\.1:\d+ kept answering with server errors during query \(1 retries\)/,
      );
      expect(standin.requests.length - mark).toBe(2);
      standin.mode = { kind: 'up' };
      expect(await store.query(records(1)[0]?.vector as Float32Array, 3)).toEqual([]);
    });
  });
});

// A real index, only where credentials are given; never here (no network).
const liveKey = process.env.PINECONE_API_KEY;
const liveHost = process.env.PINECONE_INDEX_HOST;
const live = Boolean(liveKey && liveHost);
describe('live Pinecone', () => {
  it.skipIf(!live)(
    live
      ? 'round trip on the index at PINECONE_INDEX_HOST (own namespace, removed after)'
      : 'skipped: PINECONE_API_KEY and PINECONE_INDEX_HOST are not both set (no live Pinecone here)',
    async () => {
      const namespace = `ragbench-test-${randomUUID()}`;
      const store = await createStore('pinecone', real.dimensions, { namespace });
      try {
        const sample = real.sentences.slice(0, 10).map((r, i) => ({ ...r, metadata: { documentId: `live${i % 2}`, n: null } }));
        await store.upsert(sample);
        expect(await store.count()).toBe(10);
        const first = sample[0] as VectorRecord;
        expect((await store.query(first.vector, 1))[0]?.id).toBe(first.id);
        expect((await store.get([first.id]))[0]?.metadata).toEqual({ documentId: 'live0', n: null });
        expect(await store.deleteByDocument('live1')).toBe(5);
        expect(await store.count()).toBe(5);
      } finally {
        await store.delete(real.sentences.slice(0, 10).map((r) => r.id));
        await store.close();
      }
    },
    120_000,
  );
});
