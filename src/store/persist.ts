import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { describeZodIssues, InputError } from '../util/errors.ts';
import { fileSize, readInto, readLines, readWhole, writePartsAndSync } from './large-file.ts';
import type { ChunkMetadata, VectorRecord } from './types.ts';

/** fsync of a folder, so a rename or a new file in it survives a power loss, not only a crash. */
export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes a file so that, whatever instant the process dies, the path holds the old content or the new, never a mix. */
export function writeFileDurable(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}`;
  writePartsAndSync(temp, [data]);
  renameSync(temp, path);
  fsyncDir(dirname(path));
}

/**
 * What an in-process index gives to be saved and restored as it is (FAISS: its serialised form,
 * so an HNSW graph is not rebuilt on load). Indexes without it are rebuilt from the records.
 */
export interface NativeSnapshot {
  /** The index's own serialisation (FAISS: what faiss::write_index writes). */
  bytes: Buffer;
  /** Label -> id, null for a tombstone. */
  labels: (string | null)[];
}

export interface SnapshotIndex {
  snapshot(): NativeSnapshot;
  restore(snapshot: NativeSnapshot): void;
}

export function isSnapshotIndex(index: object): index is SnapshotIndex {
  return typeof (index as Partial<SnapshotIndex>).snapshot === 'function' && typeof (index as Partial<SnapshotIndex>).restore === 'function';
}

const manifestSchema = z.strictObject({
  version: z.literal(1),
  store: z.string(),
  dimensions: z.number().int().positive(),
  count: z.number().int().nonnegative(),
  /** Whether index.faiss + labels.json hold the native index (else it is rebuilt from the records). */
  native: z.boolean(),
});
export type SnapshotManifest = z.infer<typeof manifestSchema>;

/** What a store folder holds: a manifest, the records, and the native index when there is one. */
export interface StoreSnapshot {
  manifest: SnapshotManifest;
  records: VectorRecord[];
  native?: NativeSnapshot;
}

/*
 * Layout of a store folder: `CURRENT` names a generation folder (`gen-000007/`) holding
 * manifest.json, records.jsonl (id + metadata, one a line), vectors.f32 (little-endian float32,
 * the records' vectors in the same order) and, for FAISS, index.faiss + labels.json. A save
 * writes a new generation (every file fsync'd), then swaps CURRENT with a durable rename, then
 * removes the old one: a process killed at any instant leaves the old generation or the new.
 */
const CURRENT = 'CURRENT';
const GENERATION = /^gen-(\d{6,})$/;

function currentGeneration(dir: string): string | undefined {
  const file = join(dir, CURRENT);
  if (!existsSync(file)) return undefined;
  const name = readFileSync(file, 'utf8').trim();
  if (!GENERATION.test(name)) throw new InputError(`store folder ${dir}: ${CURRENT} names "${name}", not a generation folder: the folder is damaged; remove it and ingest again`);
  return name;
}

function writeDurable(dir: string, name: string, data: string | Uint8Array | Iterable<string | Uint8Array>): void {
  writePartsAndSync(join(dir, name), typeof data === 'string' || data instanceof Uint8Array ? [data] : data);
}

/** Records a file piece holds: the whole file may be longer than a string can be, or a second copy of every vector. */
const RECORDS_A_PIECE = 10_000;

/** records.jsonl, a piece of lines at a time. */
function* recordLines(records: readonly VectorRecord[]): Generator<string> {
  for (let start = 0; start < records.length; start += RECORDS_A_PIECE) {
    yield records
      .slice(start, start + RECORDS_A_PIECE)
      .map((r) => `${JSON.stringify({ id: r.id, ...(r.metadata && { metadata: r.metadata }) })}\n`)
      .join('');
  }
}

/** vectors.f32 (little-endian float32, in record order), a piece of vectors at a time. */
function* vectorBytes(records: readonly VectorRecord[], dimensions: number): Generator<Uint8Array> {
  for (let start = 0; start < records.length; start += RECORDS_A_PIECE) {
    const piece = records.slice(start, start + RECORDS_A_PIECE);
    const vectors = new Float32Array(piece.length * dimensions);
    piece.forEach((r, i) => vectors.set(r.vector, i * dimensions));
    yield new Uint8Array(vectors.buffer);
  }
}

export function writeStoreSnapshot(dir: string, snapshot: StoreSnapshot): void {
  mkdirSync(dir, { recursive: true });
  const previous = currentGeneration(dir);
  const number = previous ? Number(GENERATION.exec(previous)?.[1]) + 1 : 1;
  const name = `gen-${String(number).padStart(6, '0')}`;
  const gen = join(dir, name);
  rmSync(gen, { recursive: true, force: true }); // a generation a killed save left half-written
  mkdirSync(gen);
  const { manifest, records, native } = snapshot;
  writeDurable(gen, 'manifest.json', `${JSON.stringify(manifest)}\n`);
  writeDurable(gen, 'records.jsonl', recordLines(records));
  writeDurable(gen, 'vectors.f32', vectorBytes(records, manifest.dimensions));
  if (native) {
    writeDurable(gen, 'index.faiss', native.bytes);
    writeDurable(gen, 'labels.json', JSON.stringify(native.labels));
  }
  fsyncDir(gen);
  writeFileDurable(join(dir, CURRENT), `${name}\n`);
  for (const entry of readdirSync(dir)) {
    if (GENERATION.test(entry) && entry !== name) rmSync(join(dir, entry), { recursive: true, force: true });
  }
}

const lineSchema = z.strictObject({ id: z.string(), metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional() });

/** The saved store in `dir`, or undefined when nothing was saved there yet. */
export function readStoreSnapshot(dir: string, expected: { store: string; dimensions: number }): StoreSnapshot | undefined {
  const name = currentGeneration(dir);
  if (name === undefined) return undefined;
  const gen = join(dir, name);
  const where = `store folder ${dir}`;
  const parsed = manifestSchema.safeParse(JSON.parse(readFileSync(join(gen, 'manifest.json'), 'utf8')));
  if (!parsed.success) throw new InputError(describeZodIssues(`${where}: ${name}/manifest.json`, parsed.error.issues));
  const manifest = parsed.data;
  if (manifest.store !== expected.store || manifest.dimensions !== expected.dimensions) {
    throw new InputError(
      `${where} holds a ${manifest.store} index of ${manifest.dimensions}-d vectors, this store is ${expected.store} with ${expected.dimensions}-d: use another dir (store option dir) or the matching store and embedder`,
    );
  }
  const d = manifest.dimensions;
  const lines = [...readLines(join(gen, 'records.jsonl'))].filter((l) => l.length > 0);
  const vectorBytes = fileSize(join(gen, 'vectors.f32'));
  if (lines.length !== manifest.count || vectorBytes !== manifest.count * d * 4) {
    throw new InputError(`${where}: ${name} holds ${lines.length} records and ${vectorBytes} vector bytes, its manifest says ${manifest.count}: the folder is damaged; remove it and ingest again`);
  }
  // One allocation for every vector, read straight into it; each record's vector is a view of it.
  const vectors = new Float32Array(manifest.count * d);
  readInto(join(gen, 'vectors.f32'), new Uint8Array(vectors.buffer));
  const records = lines.map((line, i): VectorRecord => {
    const { id, metadata } = lineSchema.parse(JSON.parse(line));
    return { id, vector: vectors.subarray(i * d, (i + 1) * d), ...(metadata && { metadata: metadata as ChunkMetadata }) };
  });
  if (!manifest.native) return { manifest, records };
  const labels = z.array(z.string().nullable()).parse(JSON.parse(readFileSync(join(gen, 'labels.json'), 'utf8')));
  return { manifest, records, native: { bytes: readWhole(join(gen, 'index.faiss')), labels } };
}

/** The dimensions of the store saved in `dir` (a migration's source needs them before opening it), or undefined. */
export function savedStoreDimensions(dir: string): number | undefined {
  const name = currentGeneration(dir);
  if (name === undefined) return undefined;
  const manifest = manifestSchema.safeParse(JSON.parse(readFileSync(join(dir, name, 'manifest.json'), 'utf8')));
  return manifest.success ? manifest.data.dimensions : undefined;
}
