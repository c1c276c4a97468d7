import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ChunkMetadata, VectorRecord } from '../types.ts';

/** One write a backend has not acknowledged yet, in the order it was asked. */
export type WalOp =
  | { op: 'upsert'; records: readonly VectorRecord[] }
  | { op: 'delete'; ids: readonly string[] }
  | { op: 'deleteByDocument'; documentId: string };

interface WalLine {
  v: 1;
  op: WalOp['op'];
  records?: { id: string; vector: number[]; metadata?: ChunkMetadata }[];
  ids?: string[];
  documentId?: string;
}

function encode(entry: WalOp): string {
  const line: WalLine =
    entry.op === 'upsert'
      ? {
          v: 1,
          op: 'upsert',
          // float32 -> double -> JSON -> double -> float32 is exact.
          records: entry.records.map((r) => ({ id: r.id, vector: Array.from(r.vector), ...(r.metadata && { metadata: r.metadata }) })),
        }
      : entry.op === 'delete'
        ? { v: 1, op: 'delete', ids: [...entry.ids] }
        : { v: 1, op: 'deleteByDocument', documentId: entry.documentId };
  return `${JSON.stringify(line)}\n`;
}

function decode(line: WalLine, path: string): WalOp {
  switch (line.op) {
    case 'upsert':
      return {
        op: 'upsert',
        records: (line.records ?? []).map((r) => ({ id: r.id, vector: Float32Array.from(r.vector), ...(r.metadata && { metadata: r.metadata }) })),
      };
    case 'delete':
      return { op: 'delete', ids: line.ids ?? [] };
    case 'deleteByDocument':
      return { op: 'deleteByDocument', documentId: line.documentId ?? '' };
    default:
      throw new Error(`${path}: unknown write-ahead log entry ${JSON.stringify(line)}`);
  }
}

/**
 * A backend's write-ahead log: JSON lines appended and fsync'd before the write is reported
 * done, so a batch a backend did not take survives a crash of this process (with a fixed
 * walDir). Replaying is idempotent (upsert by id, delete by id or document), so a replay cut
 * short is simply replayed again from the start.
 */
export class WriteAheadLog {
  private entries = 0;

  private constructor(
    readonly path: string,
    private readonly dir: string,
    private readonly fsync: boolean,
  ) {}

  static async open(dir: string, backend: string, fsync: boolean): Promise<WriteAheadLog> {
    await mkdir(dir, { recursive: true });
    const log = new WriteAheadLog(join(dir, `${backend}.wal.jsonl`), dir, fsync);
    log.entries = (await log.read()).length;
    return log;
  }

  /** Entries waiting to be replayed. */
  get pending(): number {
    return this.entries;
  }

  async append(entry: WalOp): Promise<void> {
    const created = this.entries === 0;
    const file = await open(this.path, 'a');
    try {
      await file.writeFile(encode(entry), 'utf8');
      if (this.fsync) await file.sync();
    } finally {
      await file.close();
    }
    if (created && this.fsync) await this.syncDir(); // the new file's directory entry must survive too
    this.entries++;
  }

  /** Every entry, oldest first. A torn last line (this process died mid-append, before the write returned) is dropped. */
  async read(): Promise<WalOp[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const lines = text.split('\n').filter((l) => l.length > 0);
    const out: WalOp[] = [];
    for (const [i, l] of lines.entries()) {
      try {
        out.push(decode(JSON.parse(l) as WalLine, this.path));
      } catch (error) {
        if (i === lines.length - 1 && !text.endsWith('\n')) break;
        throw new Error(`${this.path}: line ${i + 1} is not a write-ahead log entry: ${(error as Error).message}`);
      }
    }
    return out;
  }

  /** Empties the log once every entry reached the backend. */
  async truncate(): Promise<void> {
    const file = await open(this.path, 'w');
    try {
      if (this.fsync) await file.sync();
    } finally {
      await file.close();
    }
    this.entries = 0;
  }

  async remove(): Promise<void> {
    await rm(this.path, { force: true });
  }

  private async syncDir(): Promise<void> {
    const dir = await open(this.dir, 'r');
    try {
      await dir.sync();
    } finally {
      await dir.close();
    }
  }
}
