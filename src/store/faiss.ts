import type * as FaissNode from 'faiss-node';
import { z } from 'zod';
import { type HnswParams, hnswParamsOffset, withHnswParams } from './faiss-hnsw-params.ts';
import { loadNativeAddon } from './native.ts';
import type { StoreDefinition, VectorHit, VectorIndex, VectorRecord } from './types.ts';
import {
  assertDimensions,
  assertValidDimensions,
  assertValidK,
  closedError,
  parseStoreOptions,
  prepareUpsert,
  toArray,
} from './util.ts';
import { RecordBook } from './record-book.ts';
import type { NativeSnapshot, SnapshotIndex } from './persist.ts';

type Faiss = typeof FaissNode;

/** faiss-node copies plain JS arrays; batching bounds that temporary array (4096 x 512 numbers). */
const ADD_BATCH = 4096;

function loadFaiss(): Faiss {
  // FAISS runs each search in an OpenMP parallel region; ragbench sends one query at a time, so
  // extra threads only add a barrier, and on a busy 2-core machine that barrier made HNSW queries
  // 2-20 ms instead of 0.25 ms (bench/ann.ts). libgomp reads this once, when the addon first
  // loads; an OMP_NUM_THREADS the user set wins.
  process.env.OMP_NUM_THREADS ??= '1';
  return loadNativeAddon<Faiss>('faiss-node');
}

function addInBatches(index: FaissNode.Index, vectors: readonly Float32Array[]): void {
  for (let i = 0; i < vectors.length; i += ADD_BATCH) index.add(toArray(vectors.slice(i, i + ADD_BATCH)));
}

/** Maps FAISS results (labels, -1 = no result) back to string ids; `idOf` returns undefined for tombstones. */
function toHits(result: FaissNode.SearchResult, idOf: (label: number) => string | undefined, k: number): VectorHit[] {
  const hits: VectorHit[] = [];
  result.labels.forEach((label, i) => {
    const id = label < 0 ? undefined : idOf(label);
    if (id !== undefined && hits.length < k) hits.push({ id, score: result.distances[i] as number });
  });
  return hits; // FAISS returns best first: inner product of unit vectors = cosine
}

/** FAISS labels are insertion positions: the next vectors get the next labels. */
function appendLabels(ids: (string | undefined)[], labels: Map<string, number>, fresh: readonly VectorRecord[]): void {
  for (const r of fresh) {
    labels.set(r.id, ids.length);
    ids.push(r.id);
  }
}

function checkSnapshot(storeId: string, index: FaissNode.Index, snapshot: NativeSnapshot, dimensions: number): void {
  if (index.ntotal() !== snapshot.labels.length || index.getDimension() !== dimensions) {
    throw new Error(
      `${storeId}: saved index holds ${index.ntotal()} ${index.getDimension()}-d vectors but ${snapshot.labels.length} labels (${dimensions}-d expected): the store folder is damaged; remove it and ingest again`,
    );
  }
}

/** Exact inner-product search (IndexFlatIP): a full scan, memory-bandwidth bound. */
export class FaissFlatStore implements VectorIndex, SnapshotIndex {
  readonly id = 'faiss-flat';
  private index: FaissNode.IndexFlatIP | undefined;
  /**
   * Label -> id. FAISS labels flat-index vectors by position, and IndexFlat.remove_ids compacts
   * the storage keeping order, so removals compact this array the same way.
   */
  private ids: string[] = [];
  private labels = new Map<string, number>();

  constructor(readonly dimensions: number) {
    assertValidDimensions(this.id, dimensions);
    this.index = new (loadFaiss().IndexFlatIP)(dimensions);
  }

  private open(): FaissNode.IndexFlatIP {
    if (!this.index) throw closedError(this.id);
    return this.index;
  }

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    const index = this.open();
    const fresh = prepareUpsert(this, records);
    this.remove(index, fresh.map((r) => r.id));
    addInBatches(index, fresh.map((r) => r.vector));
    appendLabels(this.ids, this.labels, fresh);
  }

  async query(vector: Float32Array, k: number): Promise<VectorHit[]> {
    const index = this.open();
    assertDimensions(this, vector);
    assertValidK(this.id, k);
    // faiss-node rejects k > ntotal.
    const n = Math.min(k, this.ids.length);
    if (n === 0) return [];
    return toHits(index.search(Array.from(vector), n), (label) => this.ids[label], n);
  }

  async delete(ids: readonly string[]): Promise<void> {
    this.remove(this.open(), ids);
  }

  /**
   * One remove_ids call per batch: each call rewrites the whole index, and FAISS 1.7.3's
   * IDSelectorArray tests membership linearly, so a batch costs O(ntotal x batch).
   */
  private remove(index: FaissNode.IndexFlatIP, ids: readonly string[]): void {
    const gone = new Set<number>();
    for (const id of ids) {
      const label = this.labels.get(id);
      if (label !== undefined) gone.add(label);
    }
    if (gone.size === 0) return;
    index.removeIds([...gone]);
    this.ids = this.ids.filter((_, label) => !gone.has(label));
    this.labels = new Map(this.ids.map((id, label) => [id, label]));
  }

  async count(): Promise<number> {
    this.open();
    return this.ids.length;
  }

  snapshot(): NativeSnapshot {
    return { bytes: this.open().toBuffer(), labels: [...this.ids] };
  }

  restore(snapshot: NativeSnapshot): void {
    this.open();
    const index = loadFaiss().IndexFlatIP.fromBuffer(snapshot.bytes);
    checkSnapshot(this.id, index, snapshot, this.dimensions);
    if (snapshot.labels.includes(null)) throw new Error(`${this.id}: saved labels hold tombstones, which a flat index never has: the store folder is damaged`);
    this.index = index;
    this.ids = snapshot.labels as string[];
    this.labels = new Map(this.ids.map((id, label) => [id, label]));
  }

  async close(): Promise<void> {
    this.index = undefined; // the native index is freed when garbage-collected
    this.ids = [];
    this.labels.clear();
  }
}

export const faissHnswOptions = z.strictObject({
  /** Graph degree of the factory string "HNSW<m>,Flat". */
  m: z.number().int().min(4).max(128).default(32),
  /** Candidate list size while building (FAISS's default is 40). */
  efConstruction: z.number().int().positive().default(40),
  /**
   * Candidate list size at query time (FAISS searches with max(efSearch, k)). FAISS's default of
   * 16 gave recall@10 0.92 on USE-lite embeddings of real sentences; 64 gave 0.99 (bench/ann.ts).
   */
  efSearch: z.number().int().positive().default(64),
});
export type FaissHnswOptions = z.input<typeof faissHnswOptions>;

/**
 * Approximate search on a FAISS HNSW graph (inner product).
 *
 * FAISS HNSW cannot remove vectors (remove_ids throws a C++ exception that aborts the process),
 * so replaced and deleted vectors stay in the graph as tombstones: queries over-fetch by the
 * number of tombstones and drop them. Heavy churn therefore slows queries; rebuild the store
 * from the source data when tombstones outnumber live vectors.
 */
export class FaissHnswStore implements VectorIndex, SnapshotIndex {
  readonly id = 'faiss-hnsw';
  private index: FaissNode.Index | undefined;
  private params: HnswParams;
  /** Label -> id; undefined marks a tombstone. */
  private ids: (string | undefined)[] = [];
  private labels = new Map<string, number>();
  private tombstones = 0;

  constructor(
    readonly dimensions: number,
    options: FaissHnswOptions = {},
  ) {
    assertValidDimensions(this.id, dimensions);
    const { m, efConstruction, efSearch } = parseStoreOptions(this.id, faissHnswOptions, options);
    const faiss = loadFaiss();
    const empty = faiss.Index.fromFactory(dimensions, `HNSW${m},Flat`, faiss.MetricType.METRIC_INNER_PRODUCT);
    this.params = { efConstruction, efSearch };
    this.index = withHnswParams(faiss, empty, this.params);
  }

  get efSearch(): number {
    return this.params.efSearch;
  }

  /**
   * Changes efSearch on a built index (for tuning). faiss-node has no setter, so this
   * serialises and reloads the whole index: it costs a copy of the index.
   */
  setEfSearch(efSearch: number): void {
    const params = { ...this.params, efSearch: parseStoreOptions(this.id, faissHnswOptions, { efSearch }).efSearch };
    this.index = withHnswParams(loadFaiss(), this.open(), params);
    this.params = params;
  }

  private open(): FaissNode.Index {
    if (!this.index) throw closedError(this.id);
    return this.index;
  }

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    const index = this.open();
    const fresh = prepareUpsert(this, records);
    this.bury(fresh.map((r) => r.id));
    addInBatches(index, fresh.map((r) => r.vector));
    appendLabels(this.ids, this.labels, fresh);
  }

  async query(vector: Float32Array, k: number): Promise<VectorHit[]> {
    const index = this.open();
    assertDimensions(this, vector);
    assertValidK(this.id, k);
    const want = Math.min(k, this.labels.size);
    if (want === 0) return [];
    // At most `tombstones` of the fetched labels are dead, so `want` live ones remain.
    const fetch = Math.min(this.ids.length, want + this.tombstones);
    return toHits(index.search(Array.from(vector), fetch), (label) => this.ids[label], want);
  }

  async delete(ids: readonly string[]): Promise<void> {
    this.open();
    this.bury(ids);
  }

  private bury(ids: readonly string[]): void {
    for (const id of ids) {
      const label = this.labels.get(id);
      if (label === undefined) continue;
      this.ids[label] = undefined;
      this.labels.delete(id);
      this.tombstones++;
    }
  }

  async count(): Promise<number> {
    this.open();
    return this.labels.size;
  }

  snapshot(): NativeSnapshot {
    return { bytes: this.open().toBuffer(), labels: this.ids.map((id) => id ?? null) };
  }

  /** Loads a saved graph as it is (no rebuild), with this store's efConstruction/efSearch. */
  restore(snapshot: NativeSnapshot): void {
    this.open();
    const bytes = Buffer.from(snapshot.bytes);
    const at = hnswParamsOffset(bytes);
    bytes.writeInt32LE(this.params.efConstruction, at);
    bytes.writeInt32LE(this.params.efSearch, at + 4);
    const index = loadFaiss().Index.fromBuffer(bytes);
    checkSnapshot(this.id, index, snapshot, this.dimensions);
    this.index = index;
    this.ids = snapshot.labels.map((id) => id ?? undefined);
    this.labels = new Map();
    this.ids.forEach((id, label) => {
      if (id !== undefined) this.labels.set(id, label);
    });
    this.tombstones = this.ids.length - this.labels.size;
  }

  async close(): Promise<void> {
    this.index = undefined;
    this.ids = [];
    this.labels.clear();
    this.tombstones = 0;
  }
}

/** Where an in-process store is saved (src/store/persist.ts); absent: in memory only. */
const dirOption = { dir: z.string().min(1).optional() };

const faissFlatOptions = z.strictObject(dirOption);
const faissHnswStoreOptions = faissHnswOptions.extend(dirOption);

export const faissFlat: StoreDefinition = {
  name: 'faiss-flat',
  options: faissFlatOptions,
  async create(dimensions, options) {
    const { dir } = parseStoreOptions('faiss-flat', faissFlatOptions, options);
    return RecordBook.open(new FaissFlatStore(dimensions), dir === undefined ? {} : { dir });
  },
};

export const faissHnsw: StoreDefinition = {
  name: 'faiss-hnsw',
  options: faissHnswStoreOptions,
  async create(dimensions, options) {
    const { dir, ...hnsw } = parseStoreOptions('faiss-hnsw', faissHnswStoreOptions, options);
    return RecordBook.open(new FaissHnswStore(dimensions, hnsw), dir === undefined ? {} : { dir });
  },
};
