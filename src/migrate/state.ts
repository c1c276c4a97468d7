import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { fsyncDir, writeFileDurable } from '../store/persist.ts';
import type { ChunkMetadata, VectorRecord } from '../store/types.ts';
import { describeZodIssues, InputError } from '../util/errors.ts';

/**
 * A migration's state folder. What each file means, in the order they are written:
 *   ids.json      the source's ids, sorted, as they were when the migration began (batch b = ids[b*size, (b+1)*size))
 *   backup.jsonl  the target's records before the migration wrote anything (for --rollback)
 *   plan.json     written last, once the two above are on disk: from here on the target may change
 *   progress.log  one finished batch number a line, appended and fsync'd after the batch is stored
 * A run killed before plan.json exists left the target untouched and starts over; after, it resumes.
 */
export const PlanSchema = z.strictObject({
  version: z.literal(1),
  from: z.string(),
  to: z.string(),
  /** Embedder that re-embeds the text into the target, or null when vectors are copied. */
  reembedWith: z.string().nullable(),
  targetDimensions: z.number().int().positive(),
  batchSize: z.number().int().positive(),
  total: z.number().int().nonnegative(),
  batches: z.number().int().nonnegative(),
  backupRecords: z.number().int().nonnegative(),
  startedAt: z.string(),
});
export type Plan = z.infer<typeof PlanSchema>;

const BackupLineSchema = z.strictObject({
  id: z.string(),
  /** Little-endian float32, base64. */
  vector: z.string(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
});

export class MigrationState {
  constructor(readonly dir: string) {}

  private path(name: string): string {
    return join(this.dir, name);
  }

  exists(): boolean {
    return existsSync(this.path('plan.json'));
  }

  readPlan(): Plan {
    const file = this.path('plan.json');
    const parsed = PlanSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success) throw new InputError(describeZodIssues(file, parsed.error.issues));
    return parsed.data;
  }

  readIds(): string[] {
    return z.array(z.string()).parse(JSON.parse(readFileSync(this.path('ids.json'), 'utf8')));
  }

  writeIds(ids: readonly string[]): void {
    mkdirSync(this.dir, { recursive: true });
    writeFileDurable(this.path('ids.json'), JSON.stringify(ids));
  }

  writePlan(plan: Plan): void {
    writeFileDurable(this.path('plan.json'), `${JSON.stringify(plan, null, 2)}\n`);
  }

  /** Batch numbers recorded as finished; a torn last line (killed mid-append) is not counted. */
  finishedBatches(): Set<number> {
    const file = this.path('progress.log');
    if (!existsSync(file)) return new Set();
    const text = readFileSync(file, 'utf8');
    const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
    return new Set(complete.split('\n').filter((l) => /^\d+$/.test(l)).map(Number));
  }

  private progressFd: number | undefined;
  /** Appends are serialised: one batch number, one write, one fsync. */
  private appends: Promise<void> = Promise.resolve();

  markFinished(batch: number): Promise<void> {
    const next = this.appends.then(() => {
      if (this.progressFd === undefined) {
        const created = !existsSync(this.path('progress.log'));
        this.progressFd = openSync(this.path('progress.log'), 'a');
        if (created) fsyncDir(this.dir);
      }
      writeSync(this.progressFd, `${batch}\n`);
      fsyncSync(this.progressFd);
    });
    this.appends = next.catch(() => {});
    return next;
  }

  close(): void {
    if (this.progressFd !== undefined) closeSync(this.progressFd);
    this.progressFd = undefined;
  }

  /** Writes the target's prior records (fsync'd) before anything is migrated. */
  async writeBackup(batches: AsyncIterable<readonly VectorRecord[]>): Promise<number> {
    mkdirSync(this.dir, { recursive: true });
    const temp = this.path('backup.jsonl.tmp');
    const fd = openSync(temp, 'w');
    let count = 0;
    try {
      for await (const batch of batches) {
        const lines = batch.map((r) => {
          const vector = Buffer.from(r.vector.buffer, r.vector.byteOffset, r.vector.byteLength).toString('base64');
          return `${JSON.stringify({ id: r.id, vector, ...(r.metadata && { metadata: r.metadata }) })}\n`;
        });
        writeSync(fd, lines.join(''));
        count += batch.length;
      }
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, this.path('backup.jsonl'));
    fsyncDir(this.dir);
    return count;
  }

  readBackup(): VectorRecord[] {
    const file = this.path('backup.jsonl');
    if (!existsSync(file)) throw new InputError(`${this.dir}: no backup.jsonl: the migration never began writing, so there is nothing to roll back`);
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((line) => {
        const { id, vector, metadata } = BackupLineSchema.parse(JSON.parse(line));
        const bytes = Buffer.from(vector, 'base64');
        const v = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
        return { id, vector: v, ...(metadata && { metadata: metadata as ChunkMetadata }) };
      });
  }

  /** After a rollback: the next migrate with these stores starts afresh. */
  remove(): void {
    this.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
