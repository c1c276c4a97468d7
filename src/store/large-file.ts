/**
 * Whole-file reads and writes that work past 2 GiB. One fs read or write call refuses a length of
 * 2 GiB or more, readFileSync refuses files over 2 GiB and a string holds at most ~512 M
 * characters, while a saved store of 1M 512-d vectors is 2 GB of vectors and more of index.
 */
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** Most bytes one read or write call moves. */
const IO_CHUNK = 1 << 30;

/** Writes the parts in order, every byte, then fsyncs the file. */
export function writePartsAndSync(path: string, parts: Iterable<string | Uint8Array>): void {
  const fd = openSync(path, 'w');
  try {
    for (const part of parts) {
      const bytes = typeof part === 'string' ? Buffer.from(part) : part;
      for (let at = 0; at < bytes.length; ) at += writeSync(fd, bytes, at, Math.min(bytes.length - at, IO_CHUNK));
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The file's size in bytes. */
export function fileSize(path: string): number {
  const fd = openSync(path, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

/** Fills `target` from the start of the file; fails when the file holds fewer bytes. */
export function readInto(path: string, target: Uint8Array): void {
  const fd = openSync(path, 'r');
  try {
    for (let at = 0; at < target.length; ) {
      const read = readSync(fd, target, at, Math.min(target.length - at, IO_CHUNK), at);
      if (read === 0) throw new Error(`${path}: ends after ${at} bytes, ${target.length} expected`);
      at += read;
    }
  } finally {
    closeSync(fd);
  }
}

/** The whole file in one buffer, read in chunks. */
export function readWhole(path: string): Buffer {
  const bytes = Buffer.allocUnsafe(fileSize(path));
  readInto(path, bytes);
  return bytes;
}

/** The file's lines (UTF-8, without their "\n"), read 64 MiB at a time; a last line without "\n" counts. */
export function* readLines(path: string, chunkBytes = 64 * 2 ** 20): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const decoder = new StringDecoder('utf8');
    const buffer = Buffer.allocUnsafe(chunkBytes);
    let rest = '';
    for (;;) {
      const read = readSync(fd, buffer, 0, chunkBytes, null);
      if (read === 0) break;
      const lines = (rest + decoder.write(buffer.subarray(0, read))).split('\n');
      rest = lines.pop() ?? '';
      yield* lines;
    }
    rest += decoder.end();
    if (rest.length > 0) yield rest;
  } finally {
    closeSync(fd);
  }
}
