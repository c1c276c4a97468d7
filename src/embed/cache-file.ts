import { open, readFile } from 'node:fs/promises';
import { crc32 } from 'node:zlib';

/**
 * An append-only log of embeddings, one file per model. Each record is self-delimiting:
 *
 *   magic "RBEV" | dims u32 LE | key (32 bytes, sha256) | dims x float32 LE | crc32 u32 LE
 *
 * The crc covers dims, key and vector. Records are only ever appended (O_APPEND, one write
 * per batch), so earlier bytes are never rewritten: a crash mid-write leaves at most one torn
 * record, and a reader that meets a bad record skips to the next magic. Readers therefore
 * tolerate a writer appending concurrently (they see a torn tail and ignore it).
 */

const MAGIC = Buffer.from('RBEV', 'latin1');
const HEADER_BYTES = 4 + 4 + 32;
export const KEY_BYTES = 32;

function recordBytes(dims: number): number {
  return HEADER_BYTES + dims * 4 + 4;
}

export interface CacheEntry {
  /** sha256 digest, 32 bytes. */
  key: Buffer;
  vector: Float32Array;
}

export interface LoadResult {
  /** Latest vector per hex key. */
  entries: Map<string, Float32Array>;
  /** Bytes that were not part of a valid record (torn writes, corruption). */
  skippedBytes: number;
}

export function encodeRecords(entries: readonly CacheEntry[]): Buffer {
  const total = entries.reduce((n, e) => n + recordBytes(e.vector.length), 0);
  const out = Buffer.alloc(total);
  let at = 0;
  for (const { key, vector } of entries) {
    if (key.length !== KEY_BYTES) throw new Error(`embedding cache: key must be ${KEY_BYTES} bytes, got ${key.length}`);
    const start = at;
    MAGIC.copy(out, at);
    out.writeUInt32LE(vector.length, at + 4);
    key.copy(out, at + 8);
    at += HEADER_BYTES;
    for (const x of vector) {
      out.writeFloatLE(x, at);
      at += 4;
    }
    out.writeUInt32LE(crc32(out.subarray(start + 4, at)), at);
    at += 4;
  }
  return out;
}

/** Parses every valid record; a later record for the same key replaces an earlier one. */
export function decodeRecords(data: Buffer, expectedDims: number): LoadResult {
  const entries = new Map<string, Float32Array>();
  let skippedBytes = 0;
  let at = 0;
  while (at < data.length) {
    const next = data.indexOf(MAGIC, at);
    if (next < 0) {
      skippedBytes += data.length - at;
      break;
    }
    skippedBytes += next - at;
    at = next;
    const size = recordBytes(expectedDims);
    const valid =
      at + size <= data.length &&
      data.readUInt32LE(at + 4) === expectedDims &&
      data.readUInt32LE(at + size - 4) === crc32(data.subarray(at + 4, at + size - 4));
    if (!valid) {
      // Not a record we can trust: resynchronise on the next magic after this one.
      skippedBytes += 1;
      at += 1;
      continue;
    }
    const vector = new Float32Array(expectedDims);
    const base = at + HEADER_BYTES;
    for (let i = 0; i < expectedDims; i++) vector[i] = data.readFloatLE(base + i * 4);
    entries.set(data.toString('hex', at + 8, at + 8 + KEY_BYTES), vector);
    at += size;
  }
  return { entries, skippedBytes };
}

export async function loadCacheFile(file: string, expectedDims: number): Promise<LoadResult> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { entries: new Map(), skippedBytes: 0 };
    throw error;
  }
  return decodeRecords(data, expectedDims);
}

/**
 * Appends whole batches, each as one write(2) on an O_APPEND descriptor, so batches from
 * concurrent processes land whole, one after another. The file is opened per batch: no
 * descriptor stays open for a caller to leak. Callers serialise calls within a process.
 */
export class CacheAppender {
  constructor(private readonly file: string) {}

  async append(entries: readonly CacheEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const buffer = encodeRecords(entries);
    const handle = await open(this.file, 'a');
    try {
      let written = 0;
      while (written < buffer.length) {
        const { bytesWritten } = await handle.write(buffer, written, buffer.length - written);
        written += bytesWritten;
      }
    } finally {
      await handle.close();
    }
  }
}
