import { createHash } from 'node:crypto';
import { seededRandom } from '../stats/random.ts';
import { ExactStore } from '../store/exact.ts';
import type { VectorIndex, VectorRecord, VectorStore } from '../store/types.ts';
import { canonicalJson } from './canonical.ts';
import { readAll, maxAbsDelta } from './records.ts';
import { MAX_EXAMPLES, type DocumentCount, type MigrationResult } from './schema.ts';

/** A copied vector must come back within this (float32 values travel exactly through pgvector's text form and Chroma; the margin is for any store that rounds). */
export const VECTOR_EPSILON = 1e-6;
/** Two hits whose scores differ by less than this are a tie: either may rank k-th. */
const SCORE_TIE = 1e-5;
/** Stores that search exhaustively: their top-k must equal the reference's. */
const EXACT_STORES = new Set(['exact', 'faiss-flat']);

/**
 * The agreement an ANN target must reach. HNSW (pgvector, Chroma, faiss-hnsw, hnswlib) misses a
 * few true neighbours by design: recall@10 measured 0.97-0.99 on real embeddings at the stores'
 * default settings (bench/ann.ts, docs/backends.md), so 0.95 leaves room for that and for ties,
 * while a lost or damaged record is caught by the record checks, not by this.
 */
export function defaultQueryTolerance(targetStore: string): number {
  return EXACT_STORES.has(targetStore) ? 1 : 0.95;
}

export interface ValidateOptions {
  /** Names for the result (describeSpec of each side). */
  from: string;
  to: string;
  targetStore: string;
  /** The vectors the target should hold for these source records; default: the source's own (a copy). */
  expectedVectors?: (records: readonly VectorRecord[]) => Promise<Float32Array[]>;
  /** Target ids it held before the migration that the source lacks: neither orphans nor counted. */
  priorIds?: ReadonlySet<string>;
  vectorEpsilon?: number;
  k?: number;
  /** Source records whose (expected) vectors serve as queries. */
  sampleQueries?: number;
  /** More query vectors, e.g. embedded golden questions (in the target's vector space). */
  queryVectors?: readonly Float32Array[];
  queryTolerance?: number;
  seed?: number;
  readBatch?: number;
}

export type ValidationFields = Pick<
  MigrationResult,
  | 'from' | 'to' | 'ok' | 'problems' | 'chunksSource' | 'chunksTarget' | 'missing' | 'duplicates' | 'mismatched' | 'orphans'
  | 'lostRecords' | 'examples' | 'documents' | 'checksumSource' | 'checksumTarget' | 'checksumOk' | 'vectorEpsilon'
  | 'maxVectorDelta' | 'queryAgreement' | 'queryTolerance' | 'queriesSampled' | 'k'
>;

export interface Validation extends ValidationFields {
  /** Every missing or mismatched id (what a repair re-copies). */
  lostIds: string[];
}

function checksum(ids: readonly string[], records: ReadonlyMap<string, VectorRecord>): string {
  const hash = createHash('sha256');
  for (const id of ids) {
    const r = records.get(id);
    if (r) hash.update(`${canonicalJson([id, r.metadata ?? null])}\n`);
  }
  return hash.digest('hex');
}

function countByDocument(records: Iterable<VectorRecord>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of records) {
    const doc = r.metadata?.documentId ?? '';
    counts.set(doc, (counts.get(doc) ?? 0) + 1);
  }
  return counts;
}

function sample<T>(items: readonly T[], n: number, seed: number): T[] {
  const copy = [...items];
  const random = seededRandom(seed);
  const take = Math.min(n, copy.length);
  for (let i = 0; i < take; i++) {
    const j = i + Math.floor(random() * (copy.length - i));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, take);
}

/**
 * Compares the target with the source record by record: ids, text + metadata (checksummed),
 * vectors (within epsilon), per-document counts, orphans, duplicates; then whether sampled
 * queries return the same top-k from both. Reads every record of both sides into memory.
 */
export async function validateMigration(source: VectorStore, target: VectorStore, options: ValidateOptions): Promise<Validation> {
  const epsilon = options.vectorEpsilon ?? VECTOR_EPSILON;
  const k = options.k ?? 10;
  const readBatch = options.readBatch ?? 1000;
  const prior = options.priorIds ?? new Set<string>();

  const sourceIds = [...new Set(await source.listIds())].sort();
  const sourceSet = new Set(sourceIds);
  const sourceRecords = await readAll(source, sourceIds, readBatch);

  const listed = await target.listIds();
  const targetSet = new Set(listed);
  const seen = new Set<string>();
  const repeated = [...new Set(listed.filter((id) => seen.has(id) || (seen.add(id), false)))];
  const extraCount = Math.max(0, (await target.count()) - targetSet.size);
  const duplicates = listed.length - targetSet.size + extraCount;
  const orphanIds = listed.filter((id) => !sourceSet.has(id) && !prior.has(id)).sort();
  const targetRecords = await readAll(target, [...sourceIds.filter((id) => targetSet.has(id)), ...orphanIds], readBatch);

  const ordered = sourceIds.map((id) => sourceRecords.get(id)).filter((r): r is VectorRecord => r !== undefined);
  const expected = options.expectedVectors ? await options.expectedVectors(ordered) : ordered.map((r) => r.vector);
  const expectedById = new Map(ordered.map((r, i) => [r.id, expected[i] as Float32Array]));

  const missingIds: string[] = [];
  const mismatchedIds: string[] = [];
  let maxVectorDelta: number | null = null;
  for (const r of ordered) {
    const t = targetRecords.get(r.id);
    if (!t) {
      missingIds.push(r.id);
      continue;
    }
    const delta = maxAbsDelta(t.vector, expectedById.get(r.id) as Float32Array);
    if (Number.isFinite(delta)) maxVectorDelta = Math.max(maxVectorDelta ?? 0, delta); // infinite: sizes differ or NaN, a mismatch
    if (!(delta <= epsilon) || canonicalJson(t.metadata ?? null) !== canonicalJson(r.metadata ?? null)) mismatchedIds.push(r.id);
  }

  const sourceDocs = countByDocument(ordered);
  const targetDocs = countByDocument(targetRecords.values());
  const differing: DocumentCount[] = [];
  for (const doc of [...new Set([...sourceDocs.keys(), ...targetDocs.keys()])].sort()) {
    const s = sourceDocs.get(doc) ?? 0;
    const t = targetDocs.get(doc) ?? 0;
    if (s !== t) differing.push({ documentId: doc, source: s, target: t });
  }

  const checksumSource = checksum(sourceIds, sourceRecords);
  const checksumTarget = checksum(sourceIds, targetRecords);

  // Query equivalence: the reference is the source itself when vectors were copied, exact search over the re-embedded vectors otherwise.
  let reference: VectorIndex = source;
  if (options.expectedVectors) {
    const exact = new ExactStore(target.dimensions);
    await exact.upsert(ordered.map((r) => ({ id: r.id, vector: expectedById.get(r.id) as Float32Array })));
    reference = exact;
  }
  const queries = [
    ...sample(ordered, options.sampleQueries ?? 50, options.seed ?? 1).map((r) => expectedById.get(r.id) as Float32Array),
    ...(options.queryVectors ?? []),
  ];
  const foreign = listed.length - sourceIds.filter((id) => targetSet.has(id)).length;
  let agreement = 0;
  for (const q of queries) {
    const want = await reference.query(q, k);
    if (want.length === 0) {
      agreement += 1;
      continue;
    }
    const wantIds = new Set(want.map((h) => h.id));
    const kth = (want[want.length - 1] as { score: number }).score;
    const got = (await target.query(q, k + Math.min(foreign, 1000))).filter((h) => sourceSet.has(h.id)).slice(0, k);
    agreement += got.filter((h) => wantIds.has(h.id) || h.score >= kth - SCORE_TIE).length / want.length;
  }
  const queryAgreement = queries.length === 0 ? 1 : agreement / queries.length;
  const queryTolerance = options.queryTolerance ?? defaultQueryTolerance(options.targetStore);

  const problems: string[] = [];
  const name = (ids: readonly string[]): string => ids.slice(0, MAX_EXAMPLES).join(', ') + (ids.length > MAX_EXAMPLES ? ', …' : '');
  if (missingIds.length > 0) problems.push(`${missingIds.length} source record(s) missing from the target: ${name(missingIds)}`);
  if (mismatchedIds.length > 0) problems.push(`${mismatchedIds.length} record(s) differ in text, metadata or vector (|Δ| > ${epsilon}): ${name(mismatchedIds)}`);
  if (orphanIds.length > 0) problems.push(`${orphanIds.length} target record(s) not in the source: ${name(orphanIds)}`);
  if (duplicates > 0) problems.push(`${duplicates} duplicate record(s) in the target${repeated.length > 0 ? `: ${name(repeated)}` : ''}`);
  if (checksumSource !== checksumTarget && mismatchedIds.length === 0 && missingIds.length === 0) problems.push('checksums differ');
  if (queryAgreement < queryTolerance) problems.push(`query agreement ${queryAgreement.toFixed(3)} below the tolerance ${queryTolerance}`);

  return {
    from: options.from,
    to: options.to,
    ok: problems.length === 0,
    problems,
    chunksSource: ordered.length,
    chunksTarget: targetRecords.size,
    missing: missingIds.length,
    duplicates,
    mismatched: mismatchedIds.length,
    orphans: orphanIds.length,
    lostRecords: missingIds.length + mismatchedIds.length,
    examples: {
      missing: missingIds.slice(0, MAX_EXAMPLES),
      duplicates: repeated.slice(0, MAX_EXAMPLES),
      mismatched: mismatchedIds.slice(0, MAX_EXAMPLES),
      orphans: orphanIds.slice(0, MAX_EXAMPLES),
    },
    documents: { checked: sourceDocs.size, differing },
    checksumSource,
    checksumTarget,
    checksumOk: checksumSource === checksumTarget,
    vectorEpsilon: epsilon,
    maxVectorDelta,
    queryAgreement,
    queryTolerance,
    queriesSampled: queries.length,
    k,
    lostIds: [...missingIds, ...mismatchedIds],
  };
}
