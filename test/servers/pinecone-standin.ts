/**
 * A stand-in for Pinecone, for tests only: a small node:http server that speaks the subset of
 * Pinecone's REST API that `@pinecone-database/pinecone@8.2.0` calls for what the ragbench
 * adapter does (routes and JSON read from the SDK's generated client,
 * `pinecone-generated-ts-fetch/db_data/apis/VectorOperationsApi.js`, and Pinecone's REST
 * reference for API version 2026-04).
 *
 * It proves the adapter's request path — the SDK is configured right, the requests reach the
 * configured host with the key, and the adapter reads the answers right — NOT Pinecone itself:
 * its search is an exact cosine scan, its limits and error bodies are the documented ones as far
 * as we know them, and its "eventual consistency" is a fixed delay we choose.
 *
 * Control plane (one server, the SDK's `controllerHostUrl`): GET /indexes/{name}.
 * Data plane (one server per index, as each Pinecone index has a host of its own):
 *   POST /vectors/upsert, POST /query, GET /vectors/fetch, GET /vectors/list,
 *   POST /vectors/delete, POST /vectors/fetch_by_metadata, POST /describe_index_stats.
 * Every request must carry `Api-Key` (a wrong or missing key → 401, as Pinecone answers).
 * Deviation: describeIndex returns the host with its `http://` scheme (Pinecone returns a bare
 * hostname the SDK prefixes with https://), so the SDK can follow it to loopback.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Metric = 'cosine' | 'dotproduct' | 'euclidean';
type Scalar = string | number | boolean;
type MetadataValue = Scalar | string[];
type Metadata = Record<string, MetadataValue>;

interface StoredVector {
  values: number[];
  metadata?: Metadata;
}

export interface RecordedRequest {
  /** "control" or the index name the request reached. */
  server: string;
  method: string;
  path: string;
  query: URLSearchParams;
  /** The Host header: where the SDK sent it. */
  host: string;
  apiKeyValid: boolean;
  apiVersion: string | undefined;
}

/** What every server does with a request: serve it, answer 503 as in an outage, or answer late. */
export type StandinMode = { kind: 'up' } | { kind: 'down' } | { kind: 'slow'; delayMs: number };

// Pinecone's documented operation limits (reference/api/database-limits/operation-limits).
const MAX_UPSERT_RECORDS = 1000;
const MAX_REQUEST_BYTES = 2 * 1024 * 1024;
const MAX_IDS_PER_FETCH_OR_DELETE = 1000;
const MAX_TOP_K = 10_000;
const MAX_LIST_LIMIT = 100;
const MAX_FETCH_BY_METADATA_LIMIT = 10_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function badRequest(message: string): HttpError {
  return new HttpError(400, message);
}

function score(metric: Metric, a: readonly number[], b: readonly number[]): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  let l2 = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    dot += x * y;
    na += x * x;
    nb += y * y;
    l2 += (x - y) * (x - y);
  }
  if (metric === 'cosine') return dot / Math.sqrt(na * nb);
  return metric === 'dotproduct' ? dot : l2;
}

/** Metadata filters: `{field: value}`, `{field: {$eq: value}}`, `{field: {$ne: value}}`, `$and` of those. */
function matches(filter: unknown, metadata: Metadata | undefined): boolean {
  if (typeof filter !== 'object' || filter === null) throw badRequest('filter must be an object');
  for (const [key, condition] of Object.entries(filter)) {
    if (key === '$and') {
      if (!Array.isArray(condition)) throw badRequest('$and takes a list of filters');
      if (!condition.every((f) => matches(f, metadata))) return false;
      continue;
    }
    const value = metadata?.[key];
    if (typeof condition === 'object' && condition !== null) {
      const entries = Object.entries(condition);
      if (entries.length !== 1) throw badRequest(`one operator per field, got ${entries.length} on ${key}`);
      const [name, expected] = entries[0] as [string, unknown];
      if (name === '$eq' && value !== expected) return false;
      else if (name === '$ne' && value === expected) return false;
      else if (name !== '$eq' && name !== '$ne') throw badRequest(`the stand-in supports $eq and $ne only, got ${name}`);
    } else if (value !== condition) return false;
  }
  return true;
}

function checkMetadata(id: string, metadata: unknown): Metadata | undefined {
  if (metadata === undefined) return undefined;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    throw badRequest(`Metadata for vector ${id} must be an object`);
  }
  for (const [key, value] of Object.entries(metadata)) {
    const ok =
      typeof value === 'string' ||
      typeof value === 'number' ||
      typeof value === 'boolean' ||
      (Array.isArray(value) && value.every((v) => typeof v === 'string'));
    if (!ok) {
      throw badRequest(
        `Metadata value must be a string, number, boolean or list of strings, got '${JSON.stringify(value)}' for field '${key}'`,
      );
    }
  }
  return { ...(metadata as Metadata) };
}

/** One index: its vectors per namespace, with writes that become visible `visibilityDelayMs` later. */
class StandinIndex {
  private readonly namespaces = new Map<string, Map<string, StoredVector>>();
  private readonly pending: { visibleAt: number; apply: () => void }[] = [];
  server: Server | undefined;
  host = '';

  constructor(
    readonly name: string,
    readonly dimension: number,
    readonly metric: Metric,
    private readonly visibilityDelayMs: () => number,
  ) {}

  /** Applies the writes whose delay has passed, in the order they arrived. */
  private settle(): void {
    const now = performance.now();
    while (this.pending.length > 0 && (this.pending[0]?.visibleAt ?? Infinity) <= now) this.pending.shift()?.apply();
  }

  private write(apply: () => void): void {
    const delay = this.visibilityDelayMs();
    if (delay <= 0 && this.pending.length === 0) apply();
    else this.pending.push({ visibleAt: performance.now() + delay, apply });
  }

  private ns(name: string): Map<string, StoredVector> {
    let ns = this.namespaces.get(name);
    if (!ns) this.namespaces.set(name, (ns = new Map()));
    return ns;
  }

  private checkVector(values: unknown, what: string): number[] {
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      throw badRequest(`${what}: values must be a list of numbers`);
    }
    if (values.length !== this.dimension) {
      throw badRequest(`Vector dimension ${values.length} does not match the dimension of the index ${this.dimension}`);
    }
    if (this.metric === 'cosine' && values.every((v) => v === 0)) {
      throw badRequest(`${what}: dense vectors must contain at least one non-zero value`);
    }
    return values as number[];
  }

  handle(method: string, path: string, query: URLSearchParams, body: Record<string, unknown>): unknown {
    this.settle();
    const route = `${method} ${path}`;
    const namespace = String((method === 'GET' ? query.get('namespace') : body.namespace) ?? '');
    switch (route) {
      case 'POST /vectors/upsert': {
        const vectors = body.vectors;
        if (!Array.isArray(vectors) || vectors.length === 0) throw badRequest('vectors must be a non-empty list');
        if (vectors.length > MAX_UPSERT_RECORDS) {
          throw badRequest(`Batch size exceeds ${MAX_UPSERT_RECORDS}. Upsert at most ${MAX_UPSERT_RECORDS} vectors per request`);
        }
        const checked = vectors.map((v: { id?: unknown; values?: unknown; metadata?: unknown }) => {
          if (typeof v.id !== 'string' || v.id.length === 0) throw badRequest('every vector needs a non-empty id');
          const metadata = checkMetadata(v.id, v.metadata);
          const stored: StoredVector = { values: this.checkVector(v.values, `vector ${v.id}`), ...(metadata && { metadata }) };
          return [v.id, stored] as const;
        });
        this.write(() => {
          const ns = this.ns(namespace);
          for (const [id, stored] of checked) ns.set(id, stored);
        });
        return { upsertedCount: checked.length };
      }
      case 'POST /query': {
        const topK = body.topK;
        if (typeof topK !== 'number' || !Number.isInteger(topK) || topK < 1 || topK > MAX_TOP_K) {
          throw badRequest(`topK must be an integer from 1 to ${MAX_TOP_K}`);
        }
        const vector = this.checkVector(body.vector, 'query vector');
        const hits: { id: string; score: number; values: number[]; metadata?: Metadata }[] = [];
        for (const [id, stored] of this.namespaces.get(namespace) ?? []) {
          if (body.filter !== undefined && !matches(body.filter, stored.metadata)) continue;
          hits.push({
            id,
            score: score(this.metric, vector, stored.values),
            values: body.includeValues ? stored.values : [],
            ...(body.includeMetadata === true && stored.metadata && { metadata: stored.metadata }),
          });
        }
        const sign = this.metric === 'euclidean' ? -1 : 1;
        hits.sort((a, b) => sign * (b.score - a.score) || (a.id < b.id ? -1 : 1));
        return { matches: hits.slice(0, topK), namespace, usage: { readUnits: 1 } };
      }
      case 'GET /vectors/fetch': {
        const ids = query.getAll('ids');
        if (ids.length === 0 || ids.length > MAX_IDS_PER_FETCH_OR_DELETE) {
          throw badRequest(`ids must name 1 to ${MAX_IDS_PER_FETCH_OR_DELETE} records`);
        }
        const ns = this.namespaces.get(namespace);
        const vectors: Record<string, unknown> = {};
        for (const id of ids) {
          const stored = ns?.get(id);
          if (stored) vectors[id] = { id, ...stored };
        }
        return { vectors, namespace, usage: { readUnits: 1 } };
      }
      case 'POST /vectors/fetch_by_metadata': {
        const limit = body.limit ?? 100;
        if (typeof limit !== 'number' || limit < 1 || limit > MAX_FETCH_BY_METADATA_LIMIT) {
          throw badRequest(`limit must be from 1 to ${MAX_FETCH_BY_METADATA_LIMIT}`);
        }
        if (body.filter === undefined) throw badRequest('filter is required');
        const after = typeof body.paginationToken === 'string' ? Buffer.from(body.paginationToken, 'base64url').toString() : '';
        const found = [...(this.namespaces.get(namespace) ?? [])]
          .filter(([id, stored]) => id > after && matches(body.filter, stored.metadata))
          .sort(([a], [b]) => (a < b ? -1 : 1));
        const page = found.slice(0, limit);
        const last = page.at(-1)?.[0];
        return {
          vectors: Object.fromEntries(page.map(([id, stored]) => [id, { id, ...stored }])),
          namespace,
          usage: { readUnits: 1 },
          ...(found.length > limit && last !== undefined && { pagination: { next: Buffer.from(last).toString('base64url') } }),
        };
      }
      case 'GET /vectors/list': {
        const limit = Number(query.get('limit') ?? 100);
        if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
          throw badRequest(`limit must be from 1 to ${MAX_LIST_LIMIT}`);
        }
        const prefix = query.get('prefix') ?? '';
        const token = query.get('paginationToken');
        const after = token ? Buffer.from(token, 'base64url').toString() : '';
        const ids = [...(this.namespaces.get(namespace)?.keys() ?? [])]
          .filter((id) => id.startsWith(prefix) && id > after)
          .sort();
        const page = ids.slice(0, limit);
        const last = page.at(-1);
        return {
          vectors: page.map((id) => ({ id })),
          namespace,
          usage: { readUnits: 1 },
          ...(ids.length > limit && last !== undefined && { pagination: { next: Buffer.from(last).toString('base64url') } }),
        };
      }
      case 'POST /vectors/delete': {
        const { ids, filter, deleteAll } = body;
        if (Array.isArray(ids)) {
          if (ids.length > MAX_IDS_PER_FETCH_OR_DELETE) throw badRequest(`delete at most ${MAX_IDS_PER_FETCH_OR_DELETE} ids per request`);
          this.write(() => {
            for (const id of ids) this.namespaces.get(namespace)?.delete(String(id));
          });
        } else if (filter !== undefined) {
          this.write(() => {
            const ns = this.namespaces.get(namespace);
            for (const [id, stored] of ns ?? []) if (matches(filter, stored.metadata)) ns?.delete(id);
          });
        } else if (deleteAll === true) {
          this.write(() => this.namespaces.delete(namespace));
        } else throw badRequest('one of ids, filter or deleteAll is required');
        return {};
      }
      case 'POST /describe_index_stats': {
        const namespaces: Record<string, { vectorCount: number }> = {};
        let total = 0;
        for (const [name, ns] of this.namespaces) {
          if (ns.size === 0) continue; // Pinecone lists only namespaces that hold records
          namespaces[name] = { vectorCount: ns.size };
          total += ns.size;
        }
        return {
          namespaces,
          dimension: this.dimension,
          indexFullness: 0,
          totalVectorCount: total,
          metric: this.metric,
          vectorType: 'dense',
        };
      }
      default:
        throw new HttpError(404, `the stand-in has no route ${route}`);
    }
  }
}

export interface StandinOptions {
  /** The one API key the stand-in accepts. */
  apiKey: string;
  /** How long a write takes to become visible to reads (Pinecone is eventually consistent). */
  visibilityDelayMs?: number;
}

/** The stand-in: a control-plane server plus one data-plane server per index, all on loopback. */
export class PineconeStandin {
  /** Every request any of its servers received, in order. */
  readonly requests: RecordedRequest[] = [];
  mode: StandinMode = { kind: 'up' };
  visibilityDelayMs: number;
  private readonly indexes = new Map<string, StandinIndex>();
  private control: Server | undefined;
  controllerUrl = '';

  constructor(private readonly options: StandinOptions) {
    this.visibilityDelayMs = options.visibilityDelayMs ?? 0;
  }

  async start(): Promise<void> {
    this.control = await this.listen('control', (method, path) => {
      const match = /^\/indexes\/([^/]+)$/.exec(path);
      if (method !== 'GET' || !match) throw new HttpError(404, `the stand-in has no route ${method} ${path}`);
      const name = decodeURIComponent(match[1] as string);
      const index = this.indexes.get(name);
      if (!index) throw new HttpError(404, `Resource ${name} not found`);
      return {
        name,
        dimension: index.dimension,
        metric: index.metric,
        host: index.host,
        deletion_protection: 'disabled',
        spec: { serverless: { cloud: 'aws', region: 'us-east-1' } },
        status: { ready: true, state: 'Ready' },
        vector_type: 'dense',
      };
    });
    this.controllerUrl = url(this.control);
  }

  /** Creates an index with a data-plane server of its own; returns its host URL. */
  async createIndex(name: string, dimension: number, metric: Metric = 'cosine'): Promise<string> {
    const existing = this.indexes.get(name);
    if (existing) return existing.host;
    const index = new StandinIndex(name, dimension, metric, () => this.visibilityDelayMs);
    this.indexes.set(name, index);
    index.server = await this.listen(name, (method, path, query, body) => index.handle(method, path, query, body));
    index.host = url(index.server);
    return index.host;
  }

  /** Stops one index's server (connections refused from then on), e.g. to test an outage. */
  async stopIndex(name: string): Promise<void> {
    const server = this.indexes.get(name)?.server;
    if (server) await close(server);
  }

  async close(): Promise<void> {
    for (const index of this.indexes.values()) if (index.server) await close(index.server);
    if (this.control) await close(this.control);
  }

  private async listen(
    serverName: string,
    route: (method: string, path: string, query: URLSearchParams, body: Record<string, unknown>) => unknown,
  ): Promise<Server> {
    const server = createServer((req, res) => {
      void this.serve(serverName, route, req, res);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    return server;
  }

  private async serve(
    serverName: string,
    route: (method: string, path: string, query: URLSearchParams, body: Record<string, unknown>) => unknown,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> {
    const target = new URL(req.url ?? '/', 'http://standin');
    const apiKey = req.headers['api-key'];
    const apiVersion = req.headers['x-pinecone-api-version'];
    const apiKeyValid = apiKey === this.options.apiKey;
    this.requests.push({
      server: serverName,
      method: req.method ?? '',
      path: target.pathname,
      query: target.searchParams,
      host: req.headers.host ?? '',
      apiKeyValid,
      apiVersion: typeof apiVersion === 'string' ? apiVersion : undefined,
    });
    try {
      const raw = await readBody(req);
      if (this.mode.kind === 'slow') await new Promise((r) => setTimeout(r, (this.mode as { delayMs: number }).delayMs));
      if (this.mode.kind === 'down') throw new HttpError(503, 'Service Unavailable');
      if (!apiKeyValid) {
        // Pinecone's data plane answers a bad key with a bare 401 "Unauthorized".
        res.writeHead(401, { 'content-type': 'text/plain' }).end('Unauthorized');
        return;
      }
      if (raw.length > MAX_REQUEST_BYTES) {
        throw badRequest(`Request size ${raw.length} bytes exceeds the maximum supported size of ${MAX_REQUEST_BYTES} bytes`);
      }
      const body = raw.length > 0 ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : {};
      const answer = route(req.method ?? '', target.pathname, target.searchParams, body);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: status === 400 ? 3 : status === 404 ? 5 : 13, message, details: [] }));
    }
  }
}

function url(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
