import { AsyncLocalStorage } from 'node:async_hooks';
import { ChromaClient, type Collection, type Metadata } from 'chromadb';
import { z } from 'zod';
import { InputError } from '../util/errors.ts';
import type { ChunkMetadata, MetadataValue, StoreDefinition, VectorHit, VectorRecord, VectorStore } from './types.ts';
import { assertDimensions, assertValidDimensions, assertValidK, closedError, parseStoreOptions, prepareUpsert } from './util.ts';

const STORE_ID = 'chroma';

/** How to get a server when none answers (README "Chroma"). */
export const CHROMA_START_HINT = 'start one with `npm run chroma:start` (scripts/chroma-server.ts) or give the store the url of a running one';

/**
 * Chroma drops null metadata values (and an upsert with a null neither stores nor clears a key),
 * so the keys whose value is null travel in this reserved key, as a JSON array, and come back as
 * nulls. Keys starting with "chroma:" are Chroma's own: it drops them silently, so we refuse them.
 */
const NULL_KEYS = 'ragbench:nulls';
const RESERVED_PREFIXES = ['ragbench:', 'chroma:'];
/** Stamped on collections this store creates, so a reopen with another embedder fails clearly. */
const DIMENSIONS_KEY = 'ragbench:dimensions';

/** Chroma's own rule for collection names. */
const COLLECTION_NAME = /^[a-zA-Z0-9][a-zA-Z0-9._-]{1,510}[a-zA-Z0-9]$/;

export const chromaOptions = z
  .strictObject({
    /** e.g. http://127.0.0.1:8000 (what scripts/chroma-server.ts start prints). */
    url: z.url({ protocol: /^https?$/ }).optional(),
    host: z.string().min(1).optional(),
    port: z.number().int().min(1).max(65_535).optional(),
    /** Default: ragbench-<dimensions>d. */
    collection: z
      .string()
      .regex(COLLECTION_NAME, '3-512 characters from [a-zA-Z0-9._-], starting and ending with a letter or digit')
      .optional(),
    /** Drop the collection's records when the store opens: a benchmark run that must start empty. */
    reset: z.boolean().default(false),
    /** Every HTTP request to the server is aborted after this long. */
    timeoutMs: z.number().int().positive().default(15_000),
    /** Records per request for upsert, get and delete. */
    batchSize: z.number().int().positive().max(5_000).default(1_000),
  })
  .refine((o) => !(o.url && (o.host !== undefined || o.port !== undefined)), {
    message: 'give either url or host and port, not both',
  });

export type ChromaOptions = z.output<typeof chromaOptions>;

interface Address {
  host: string;
  port: number;
  ssl: boolean;
  url: string;
}

function resolveAddress(options: ChromaOptions): Address {
  if (options.host !== undefined || options.port !== undefined) {
    const host = options.host ?? '127.0.0.1';
    const port = options.port ?? 8000;
    return { host, port, ssl: false, url: `http://${host}:${port}` };
  }
  // A suite names the server explicitly; CHROMA_URL is the fallback for a server started by hand.
  const raw = options.url ?? process.env.CHROMA_URL;
  if (!raw) {
    throw new InputError(`${STORE_ID}: no server address: set the store option url (e.g. http://127.0.0.1:8000) or CHROMA_URL; ${CHROMA_START_HINT}`);
  }
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new InputError(`${STORE_ID}: CHROMA_URL is not a URL: ${raw}`);
  }
  const ssl = parsed.protocol === 'https:';
  const port = parsed.port ? Number(parsed.port) : ssl ? 443 : 80;
  return { host: parsed.hostname, port, ssl, url: `${parsed.protocol}//${parsed.host}` };
}

/** The request in flight for one store call, so a timeout can be told apart from a refusal. */
interface CallContext {
  signal?: AbortSignal;
}
const currentCall = new AsyncLocalStorage<CallContext>();

interface RequestInterceptors {
  request: { use(fn: (request: Request) => Request): void };
}

/**
 * The chromadb client has no timeout option and spreads `fetchOptions` once, so one signal would
 * serve every request. Its request interceptors (private in the typings, present in 3.5.0) give
 * each request its own deadline.
 */
function withRequestTimeouts(client: ChromaClient, timeoutMs: number): void {
  const api = (client as unknown as { apiClient?: { interceptors?: RequestInterceptors } }).apiClient;
  if (typeof api?.interceptors?.request.use !== 'function') {
    throw new Error(`${STORE_ID}: this chromadb client exposes no request interceptors, so requests cannot time out (ragbench pins chromadb 3.5.0)`);
  }
  api.interceptors.request.use((request) => {
    const signal = AbortSignal.timeout(timeoutMs);
    const call = currentCall.getStore();
    if (call) call.signal = signal;
    return new Request(request, { signal });
  });
}

function checkMetadata(record: VectorRecord): void {
  for (const [key, value] of Object.entries(record.metadata ?? {})) {
    if (RESERVED_PREFIXES.some((p) => key.startsWith(p))) {
      throw new Error(`${STORE_ID}: metadata key "${key}" of record ${record.id} is reserved (keys starting with ${RESERVED_PREFIXES.join(' or ')})`);
    }
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new Error(`${STORE_ID}: metadata "${key}" of record ${record.id} is ${value}; Chroma stores finite numbers only`);
    }
  }
}

/** ChunkMetadata as Chroma stores it: scalars as they are, null keys listed under NULL_KEYS. */
export function toChromaMetadata(metadata: ChunkMetadata | undefined): Metadata | null {
  if (!metadata) return null;
  const out: Metadata = {};
  const nulls: string[] = [];
  for (const [key, value] of Object.entries(metadata)) {
    if (value === null) nulls.push(key);
    else out[key] = value;
  }
  if (nulls.length > 0) out[NULL_KEYS] = JSON.stringify(nulls);
  return Object.keys(out).length > 0 ? out : null;
}

export function fromChromaMetadata(stored: Metadata | null | undefined): ChunkMetadata | undefined {
  if (!stored) return undefined;
  const out: Record<string, MetadataValue> = {};
  for (const [key, value] of Object.entries(stored)) {
    if (key === NULL_KEYS) {
      for (const nullKey of JSON.parse(String(value)) as string[]) out[nullKey] = null;
    } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null) {
      out[key] = value;
    }
  }
  return out as ChunkMetadata;
}

/**
 * Chroma's upsert merges metadata into what is stored. A record whose new metadata lacks a key
 * the stored one has must be deleted first, or the old key would survive the replacement.
 */
function needsReset(stored: Metadata | null, next: Metadata | null): boolean {
  if (!stored) return false;
  if (!next) return true;
  return Object.keys(stored).some((key) => !(key in next));
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** A collection on a Chroma server; scores are cosine similarity (1 − Chroma's cosine distance). */
export class ChromaStore implements VectorStore {
  readonly id = STORE_ID;
  private collection: Collection | undefined;

  private constructor(
    readonly dimensions: number,
    collection: Collection,
    private readonly address: Address,
    private readonly options: ChromaOptions,
  ) {
    this.collection = collection;
  }

  static async open(dimensions: number, options: ChromaOptions): Promise<ChromaStore> {
    assertValidDimensions(STORE_ID, dimensions);
    const address = resolveAddress(options);
    const client = new ChromaClient({ host: address.host, port: address.port, ssl: address.ssl });
    withRequestTimeouts(client, options.timeoutMs);
    const name = options.collection ?? `ragbench-${dimensions}d`;
    const collection = await call(address, options, `opening collection ${name}`, async () => {
      if (options.reset) {
        await client.deleteCollection({ name }).catch((error: unknown) => {
          if ((error as Error).name !== 'ChromaNotFoundError') throw error;
        });
      }
      return client.getOrCreateCollection({
        name,
        embeddingFunction: null, // ragbench embeds
        metadata: { 'hnsw:space': 'cosine', [DIMENSIONS_KEY]: dimensions },
      });
    });
    const store = new ChromaStore(dimensions, collection, address, options);
    await store.checkCollection(name);
    return store;
  }

  /** An existing collection must measure cosine and hold vectors of this store's size. */
  private async checkCollection(name: string): Promise<void> {
    const collection = this.open();
    const space = collection.configuration.hnsw?.space ?? collection.metadata?.['hnsw:space'];
    if (space !== undefined && space !== null && space !== 'cosine') {
      throw new Error(`${STORE_ID}: collection ${name} at ${this.address.url} uses distance "${String(space)}", ragbench needs cosine: use another collection name`);
    }
    let held = collection.metadata?.[DIMENSIONS_KEY];
    if (typeof held !== 'number') {
      const sample = await this.call('reading a sample', (c) => c.get({ limit: 1, include: ['embeddings'] }));
      held = sample.embeddings[0]?.length;
    }
    if (typeof held === 'number' && held !== this.dimensions) {
      throw new Error(`${STORE_ID}: collection ${name} at ${this.address.url} holds ${held}-dimensional vectors, the store holds ${this.dimensions}: use another collection name`);
    }
  }

  private open(): Collection {
    if (!this.collection) throw closedError(this.id);
    return this.collection;
  }

  private call<T>(what: string, fn: (collection: Collection) => Promise<T>): Promise<T> {
    const collection = this.open();
    return call(this.address, this.options, what, () => fn(collection));
  }

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    this.open();
    const fresh = prepareUpsert(this, records);
    for (const r of fresh) checkMetadata(r);
    for (const batch of chunks(fresh, this.options.batchSize)) {
      const ids = batch.map((r) => r.id);
      const metadatas = batch.map((r) => toChromaMetadata(r.metadata));
      const stored = await this.call('reading stored metadata', (c) => c.get({ ids, include: ['metadatas'] }));
      const next = new Map(ids.map((id, i) => [id, metadatas[i] ?? null]));
      const reset = stored.ids.filter((id, i) => needsReset(stored.metadatas[i] ?? null, next.get(id) ?? null));
      if (reset.length > 0) await this.call('replacing records', (c) => c.delete({ ids: reset }));
      const embeddings = batch.map((r) => Array.from(r.vector));
      await this.call('upserting', (c) =>
        c.upsert({
          ids,
          embeddings,
          // The client's typings want Metadata[], but it sends null entries as "no metadata".
          ...(metadatas.some((m) => m !== null) && { metadatas: metadatas as Metadata[] }),
        }),
      );
    }
  }

  async query(vector: Float32Array, k: number): Promise<VectorHit[]> {
    this.open();
    assertDimensions(this, vector);
    assertValidK(this.id, k);
    if (k === 0) return [];
    const result = await this.call('querying', (c) =>
      c.query({ queryEmbeddings: [Array.from(vector)], nResults: k, include: ['distances'] }),
    );
    const ids = result.ids[0] ?? [];
    const distances = result.distances[0] ?? [];
    return ids.map((id, i) => ({ id, score: 1 - (distances[i] ?? Number.NaN) }));
  }

  async delete(ids: readonly string[]): Promise<void> {
    this.open();
    for (const batch of chunks(ids, this.options.batchSize)) {
      await this.call('deleting', (c) => c.delete({ ids: batch }));
    }
  }

  async count(): Promise<number> {
    return this.call('counting', (c) => c.count());
  }

  async get(ids: readonly string[]): Promise<VectorRecord[]> {
    this.open();
    const found = new Map<string, VectorRecord>();
    for (const batch of chunks([...new Set(ids)], this.options.batchSize)) {
      const result = await this.call('reading records', (c) => c.get({ ids: batch, include: ['embeddings', 'metadatas'] }));
      result.ids.forEach((id, i) => {
        const metadata = fromChromaMetadata(result.metadatas[i]);
        found.set(id, { id, vector: Float32Array.from(result.embeddings[i] ?? []), ...(metadata && { metadata }) });
      });
    }
    return ids.map((id) => found.get(id)).filter((r): r is VectorRecord => r !== undefined);
  }

  async listIds(): Promise<string[]> {
    return this.idsWhere(undefined);
  }

  async deleteByDocument(documentId: string): Promise<number> {
    // Chroma's delete-by-where reports no count, so find the ids first.
    const ids = await this.idsWhere(documentId);
    await this.delete(ids);
    return ids.length;
  }

  /** Every id (of one document, when given), a page at a time. */
  private async idsWhere(documentId: string | undefined): Promise<string[]> {
    const out: string[] = [];
    const limit = this.options.batchSize;
    for (let offset = 0; ; offset += limit) {
      const page = await this.call('listing ids', (c) =>
        c.get({ ...(documentId !== undefined && { where: { documentId } }), include: [], limit, offset }),
      );
      out.push(...page.ids);
      if (page.ids.length < limit) return out;
    }
  }

  async close(): Promise<void> {
    this.collection = undefined;
  }
}

/** Runs one request (or a few) against the server, turning transport failures into errors that name it. */
async function call<T>(address: Address, options: ChromaOptions, what: string, fn: () => Promise<T>): Promise<T> {
  const context: CallContext = {};
  try {
    return await currentCall.run(context, fn);
  } catch (error) {
    const err = error as Error;
    if (context.signal?.aborted) {
      throw new Error(`${STORE_ID} at ${address.url} did not answer within ${options.timeoutMs} ms (${what}): is it overloaded or stopped? Raise the store's timeoutMs if it is just slow`, { cause: error });
    }
    if (err.name === 'ChromaConnectionError') {
      throw new Error(`${STORE_ID} at ${address.url} is not reachable: connection failed while ${what}; ${CHROMA_START_HINT}`, { cause: error });
    }
    if (err.message.startsWith(`${STORE_ID}`)) throw err;
    throw new Error(`${STORE_ID} at ${address.url}: ${what} failed: ${err.message}`, { cause: error });
  }
}

export const chroma: StoreDefinition = {
  name: STORE_ID,
  options: chromaOptions,
  async create(dimensions, options) {
    return ChromaStore.open(dimensions, parseStoreOptions(STORE_ID, chromaOptions, options));
  },
};
