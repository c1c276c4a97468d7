import { Pinecone, type Index, type PineconeRecord, type RecordMetadata } from '@pinecone-database/pinecone';
import { z } from 'zod';
import { SkipRunError } from '../util/errors.ts';
import { fromPinecone, toPinecone } from './pinecone-metadata.ts';
import type { StoreDefinition, VectorHit, VectorRecord, VectorStore } from './types.ts';
import { assertDimensions, assertValidDimensions, assertValidK, closedError, parseStoreOptions, prepareUpsert } from './util.ts';

const ID = 'pinecone';

// Pinecone's operation limits (docs.pinecone.io, reference/api/database-limits/operation-limits).
const MAX_UPSERT_RECORDS = 1000;
/** 2 MB per request; the margin leaves room for the envelope ({"vectors":[…],"namespace":…}). */
const MAX_UPSERT_BYTES = 2 * 1024 * 1024 - 16 * 1024;
const MAX_IDS_PER_REQUEST = 1000;
const MAX_TOP_K = 10_000;
/** list returns at most 100 ids a page. */
const LIST_PAGE = 100;
/** fetch sends ids in the URL: keep it well under common URL limits (8 KB). */
const MAX_FETCH_URL_CHARS = 4000;
/** fetch_by_metadata returns whole records (vectors too): small pages keep responses small. */
const FETCH_BY_METADATA_PAGE = 100;

export const pineconeOptions = z.strictObject({
  /** Index name: when set, the index is described once (control plane) to check its metric and dimension. */
  index: z.string().min(1).optional(),
  /** Index host URL (Pinecone console or describeIndex), e.g. https://my-index-abc123.svc.aped-4627-b74a.pinecone.io. */
  host: z.string().min(1).optional(),
  /** Environment variable holding the index host, used when `host` is not set. */
  hostEnv: z.string().min(1).default('PINECONE_INDEX_HOST'),
  /** A namespace of its own: the adapter's counts and consistency checks assume no other writer in it. */
  namespace: z.string().min(1).default('ragbench'),
  /** Environment variable holding the API key (never the key itself in a suite file). */
  apiKeyEnv: z.string().min(1).default('PINECONE_API_KEY'),
  /** Control-plane URL (the SDK's default is https://api.pinecone.io); tests point it at a stand-in. */
  controllerHost: z.string().min(1).optional(),
  /** Per-request timeout: a dead or hung host fails the operation instead of hanging it. */
  timeoutMs: z.number().int().positive().default(20_000),
  /** Records per upsert request: Pinecone allows 1,000 and 2 MB; it recommends about 100. */
  batchSize: z.number().int().min(1).max(MAX_UPSERT_RECORDS).default(100),
  /** Retries of 5xx answers, with the SDK's exponential backoff (200 ms, 400 ms, …). */
  maxRetries: z.number().int().min(0).max(10).default(3),
  /**
   * Read-after-write: after each write, wait until the index shows it (count as expected,
   * replaced records fetched with their new values), for at most this long. 0 = do not wait.
   */
  settleTimeoutMs: z.number().int().nonnegative().default(30_000),
  /** How often the wait above polls describeIndexStats. */
  settlePollMs: z.number().int().positive().default(200),
});
export type PineconeOptions = z.input<typeof pineconeOptions>;
type Settings = z.output<typeof pineconeOptions>;

/** A request gets `timeoutMs`; the SDK's own signal (if any) still applies. */
function timedFetch(timeoutMs: number): typeof fetch {
  return (input, init) => {
    const timeout = AbortSignal.timeout(timeoutMs);
    return fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, timeout]) : timeout });
  };
}

function causes(error: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e = error; e !== undefined && e !== null && chain.length < 5; e = (e as { cause?: unknown }).cause) chain.push(e);
  return chain;
}

function errorName(e: unknown): string {
  return e instanceof Error || (typeof e === 'object' && e !== null && 'name' in e) ? String((e as Error).name) : '';
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Splits `items` into runs no longer than `maxItems` and no heavier than `maxWeight`. */
function pack<T>(items: readonly T[], maxItems: number, maxWeight: number, weigh: (item: T) => number): T[][] {
  const out: T[][] = [];
  let run: T[] = [];
  let weight = 0;
  for (const item of items) {
    const w = weigh(item);
    if (run.length > 0 && (run.length >= maxItems || weight + w > maxWeight)) {
      out.push(run);
      run = [];
      weight = 0;
    }
    run.push(item);
    weight += w;
  }
  if (run.length > 0) out.push(run);
  return out;
}

/** Pinecone keeps float32: compare as float32, whatever decimal form the JSON used. */
function sameRecord(stored: PineconeRecord | undefined, wanted: PineconeRecord): boolean {
  if (!stored?.values || !wanted.values || stored.values.length !== wanted.values.length) return false;
  for (let i = 0; i < wanted.values.length; i++) {
    if (Math.fround(stored.values[i] as number) !== Math.fround(wanted.values[i] as number)) return false;
  }
  const canon = (m: RecordMetadata | undefined) => JSON.stringify(Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)));
  return canon(stored.metadata) === canon(wanted.metadata);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A VectorStore on a Pinecone index namespace through the official SDK. Scores are Pinecone's:
 * cosine similarities, for an index created with metric "cosine" (checked when `index` is named).
 */
export class PineconeStore implements VectorStore {
  readonly id = ID;
  private closed = false;

  private constructor(
    readonly dimensions: number,
    private readonly settings: Settings,
    private readonly index: Index,
    /** Where data requests go, for error messages. */
    readonly host: string,
  ) {}

  /** Connects to the index the settings name and checks it can hold this store's vectors. */
  static async open(dimensions: number, settings: Settings, apiKey: string, host: string | undefined): Promise<PineconeStore> {
    const pc = new Pinecone({
      apiKey,
      fetchApi: timedFetch(settings.timeoutMs),
      maxRetries: settings.maxRetries,
      ...(settings.controllerHost !== undefined && { controllerHostUrl: settings.controllerHost }),
    });
    let dataHost = host;
    if (settings.index !== undefined) {
      const controller = settings.controllerHost ?? 'https://api.pinecone.io';
      const where = `${controller} (index "${settings.index}")`;
      const model = await PineconeStore.explained(settings, where, 'describeIndex', () => pc.describeIndex(settings.index as string));
      if (model.metric !== 'cosine') {
        throw new Error(
          `${ID}: index "${settings.index}" uses metric "${model.metric}"; ragbench needs "cosine" (its scores are cosine similarities): create the index with metric "cosine"`,
        );
      }
      PineconeStore.checkDimension(settings.index, model.dimension, dimensions);
      if (model.status && !model.status.ready) {
        throw new Error(`${ID}: index "${settings.index}" is not ready (state ${model.status.state}); wait for it in the Pinecone console`);
      }
      dataHost ??= model.host;
    }
    if (dataHost === undefined) throw new Error(`${ID}: no index host`); // unreachable: create() checks
    const index = pc.index({ host: dataHost, namespace: settings.namespace, ...(settings.index !== undefined && { name: settings.index }) });
    const store = new PineconeStore(dimensions, settings, index, dataHost);
    if (settings.index === undefined) {
      // Host only: describeIndexStats gives the dimension (the SDK drops the metric it returns).
      const stats = await store.call('describeIndexStats', () => index.describeIndexStats());
      PineconeStore.checkDimension(dataHost, stats.dimension, dimensions);
    }
    return store;
  }

  private static checkDimension(what: string, indexDimension: number | undefined, dimensions: number): void {
    if (indexDimension !== undefined && indexDimension !== dimensions) {
      throw new Error(
        `${ID}: index ${what} holds ${indexDimension}-dimensional vectors, the store holds ${dimensions}: use an index created with dimension ${dimensions} (the embedder's)`,
      );
    }
  }

  private open(): Index {
    if (this.closed) throw closedError(this.id);
    return this.index;
  }

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    const index = this.open();
    const fresh = prepareUpsert(this, records).map((r) => this.encode(r));
    if (fresh.length === 0) return;
    const before = await this.snapshot(fresh.map((r) => r.id));
    const batches = pack(fresh, this.settings.batchSize, MAX_UPSERT_BYTES, (r) => Buffer.byteLength(JSON.stringify(r)));
    for (const batch of batches) {
      const bytes = Buffer.byteLength(JSON.stringify(batch));
      if (bytes > MAX_UPSERT_BYTES) {
        throw new Error(`${ID}: record ${batch[0]?.id} is ${bytes} bytes as JSON; Pinecone accepts at most 2 MB a request`);
      }
      await this.call('upsert', () => index.upsert({ records: batch }));
    }
    if (before) {
      const added = fresh.filter((r) => !before.existing.has(r.id)).length;
      const replaced = fresh.filter((r) => before.existing.has(r.id) && !sameRecord(before.existing.get(r.id), r));
      await this.settle('upsert', before.count + added, replaced);
    }
  }

  async query(vector: Float32Array, k: number): Promise<VectorHit[]> {
    const index = this.open();
    assertDimensions(this, vector);
    assertValidK(this.id, k);
    if (k === 0) return [];
    if (k > MAX_TOP_K) throw new Error(`${ID}: k = ${k} exceeds Pinecone's topK limit of ${MAX_TOP_K}`);
    const result = await this.call('query', () =>
      index.query({ vector: Array.from(vector), topK: k, includeMetadata: false, includeValues: false }),
    );
    return result.matches.map((m) => ({ id: m.id, score: m.score ?? Number.NaN }));
  }

  async delete(ids: readonly string[]): Promise<void> {
    this.open();
    const unique = [...new Set(ids)];
    if (unique.length === 0) return;
    const before = await this.snapshot(unique);
    await this.deleteIds(unique);
    if (before) await this.settle('delete', before.count - before.existing.size, []);
  }

  async count(): Promise<number> {
    this.open();
    return this.countNow();
  }

  async get(ids: readonly string[]): Promise<VectorRecord[]> {
    this.open();
    const found = await this.fetchRecords([...new Set(ids)]);
    const out: VectorRecord[] = [];
    for (const id of ids) {
      const r = found.get(id);
      if (!r?.values) continue;
      const metadata = fromPinecone(r.metadata);
      out.push({ id, vector: Float32Array.from(r.values), ...(metadata && { metadata }) });
    }
    return out;
  }

  /** Pages through `list` (serverless indexes only; pod-based indexes answer with an error). */
  async listIds(): Promise<string[]> {
    const index = this.open();
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.call('list', () =>
        index.listPaginated({ limit: LIST_PAGE, ...(token !== undefined && { paginationToken: token }) }),
      );
      for (const v of page.vectors ?? []) if (v.id !== undefined) ids.push(v.id);
      token = page.pagination?.next;
    } while (token);
    return ids;
  }

  /**
   * Finds the document's records with fetch_by_metadata (filter documentId $eq), then deletes
   * them by id: a delete by filter would do it in one request but does not say how many it
   * deleted, and list-by-prefix needs ids that start with the document, which ragbench's need not.
   */
  async deleteByDocument(documentId: string): Promise<number> {
    const index = this.open();
    const ids: string[] = [];
    let token: string | undefined;
    do {
      const page = await this.call('fetchByMetadata', () =>
        index.fetchByMetadata({
          filter: { documentId: { $eq: documentId } },
          limit: FETCH_BY_METADATA_PAGE,
          ...(token !== undefined && { paginationToken: token }),
        }),
      );
      ids.push(...Object.keys(page.records));
      token = page.pagination?.next;
    } while (token);
    if (ids.length === 0) return 0;
    const count = this.settles ? await this.countNow() : 0;
    await this.deleteIds(ids);
    if (this.settles) await this.settle('deleteByDocument', count - ids.length, []);
    return ids.length;
  }

  async close(): Promise<void> {
    // The SDK holds no connection of its own (it uses fetch); a closed store refuses further calls.
    this.closed = true;
  }

  private get settles(): boolean {
    return this.settings.settleTimeoutMs > 0;
  }

  private encode(r: VectorRecord): PineconeRecord {
    if (r.vector.every((x) => x === 0)) {
      throw new Error(`${ID}: record ${r.id} has an all-zero vector; Pinecone rejects it (its cosine is undefined)`);
    }
    return { id: r.id, values: Array.from(r.vector), ...(r.metadata && { metadata: toPinecone(ID, r.id, r.metadata) }) };
  }

  private async deleteIds(ids: readonly string[]): Promise<void> {
    const index = this.open();
    for (let i = 0; i < ids.length; i += MAX_IDS_PER_REQUEST) {
      const chunk = ids.slice(i, i + MAX_IDS_PER_REQUEST);
      await this.call('delete', () => index.deleteMany({ ids: chunk }));
    }
  }

  private async countNow(): Promise<number> {
    const stats = await this.call('describeIndexStats', () => this.index.describeIndexStats());
    return stats.namespaces?.[this.settings.namespace]?.recordCount ?? 0;
  }

  private async fetchRecords(ids: readonly string[]): Promise<Map<string, PineconeRecord>> {
    const found = new Map<string, PineconeRecord>();
    const chunks = pack(ids, MAX_IDS_PER_REQUEST, MAX_FETCH_URL_CHARS, (id) => encodeURIComponent(id).length + 5);
    for (const chunk of chunks) {
      const page = await this.call('fetch', () => this.index.fetch({ ids: chunk }));
      for (const [id, record] of Object.entries(page.records)) found.set(id, record);
    }
    return found;
  }

  /** Before a write, when waiting for it: the count now, and which of the ids exist (with their values). */
  private async snapshot(ids: readonly string[]): Promise<{ count: number; existing: Map<string, PineconeRecord> } | undefined> {
    if (!this.settles) return undefined;
    return { count: await this.countNow(), existing: await this.fetchRecords(ids) };
  }

  /**
   * Read-after-write. Pinecone is eventually consistent: a write is acknowledged before reads
   * see it. Its docs advise polling describeIndexStats until the count is as expected; a count
   * cannot show a replaced vector, so replaced records are also fetched until they read back new.
   */
  private async settle(op: string, expected: number, replaced: readonly PineconeRecord[]): Promise<void> {
    const deadline = performance.now() + this.settings.settleTimeoutMs;
    for (;;) {
      const count = await this.countNow();
      let stale = 0;
      if (count === expected && replaced.length > 0) {
        const now = await this.fetchRecords(replaced.map((r) => r.id));
        stale = replaced.filter((r) => !sameRecord(now.get(r.id), r)).length;
      }
      if (count === expected && stale === 0) return;
      if (performance.now() >= deadline) {
        throw new Error(
          `${ID}: after ${op}, namespace "${this.settings.namespace}" on ${this.host} shows ${count} records (expected ${expected})` +
            (stale > 0 ? ` and ${stale} replaced records still read back old` : '') +
            ` after ${this.settings.settleTimeoutMs} ms: Pinecone has not caught up (it is eventually consistent) or another client writes to this namespace; raise settleTimeoutMs or give the store a namespace of its own`,
        );
      }
      await sleep(this.settings.settlePollMs);
    }
  }

  private call<T>(op: string, run: () => Promise<T>): Promise<T> {
    return PineconeStore.explained(this.settings, this.host, op, run);
  }

  /** Runs an SDK call; its failure becomes an error naming Pinecone, the address and the fix. */
  private static async explained<T>(settings: Settings, where: string, op: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw new Error(PineconeStore.explain(settings, where, op, error), { cause: error });
    }
  }

  private static explain(settings: Settings, where: string, op: string, error: unknown): string {
    const name = errorName(error);
    const chain = causes(error);
    const detail = chain.map(errorMessage).at(-1) ?? errorMessage(error);
    switch (name) {
      case 'PineconeAuthorizationError':
        return `${ID}: ${where} rejected the API key in ${settings.apiKeyEnv} (401 Unauthorized) during ${op}; set ${settings.apiKeyEnv} to an API key of the Pinecone project that holds the index`;
      case 'PineconeNotFoundError':
        return `${ID}: ${where} answered 404 during ${op} (${errorMessage(error)}); check the store options "index" and "host" (the index host shown in the Pinecone console)`;
      case 'PineconeMaxRetriesExceededError':
      case 'PineconeUnavailableError':
      case 'PineconeInternalServerError':
        return `${ID}: ${where} kept answering with server errors during ${op} (${settings.maxRetries} retries): ${errorMessage(error)}; see https://status.pinecone.io`;
      case 'PineconeConnectionError':
        if (chain.some((e) => errorName(e) === 'TimeoutError')) {
          return `${ID}: ${op} on ${where} got no answer within timeoutMs = ${settings.timeoutMs} ms; Pinecone is slow or unreachable (raise the store option timeoutMs, or see https://status.pinecone.io)`;
        }
        return `${ID}: cannot reach ${where} during ${op} (${detail}); check the store option "host" (the index host shown in the Pinecone console or by describeIndex), the network, and https://status.pinecone.io`;
      default:
        return `${ID}: ${op} on ${where} failed: ${errorMessage(error)}`;
    }
  }
}

export const pinecone: StoreDefinition = {
  name: ID,
  options: pineconeOptions,
  async create(dimensions, options) {
    assertValidDimensions(ID, dimensions);
    const settings = parseStoreOptions(ID, pineconeOptions, options);
    const apiKey = process.env[settings.apiKeyEnv];
    if (!apiKey) throw new SkipRunError(`${ID}: ${settings.apiKeyEnv} is not set; the run is skipped, not faked`);
    const host = settings.host ?? (process.env[settings.hostEnv] || undefined);
    if (settings.index === undefined && host === undefined) {
      throw new SkipRunError(
        `${ID}: no index configured (set the store option "host" or "index", or ${settings.hostEnv}); the run is skipped, not faked`,
      );
    }
    return PineconeStore.open(dimensions, settings, apiKey, host);
  },
};
