import { createWriteStream } from 'node:fs';
import { mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import type { QueryRecord, Summary } from '../summary/schema.ts';

/** A sortable, filesystem-safe run id: UTC time plus a short random suffix. */
export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `${stamp}-${Math.random().toString(36).slice(2, 6)}`;
}

export async function writeQueries(file: string, records: Iterable<QueryRecord>): Promise<void> {
  const out = createWriteStream(file);
  for (const r of records) {
    if (!out.write(`${JSON.stringify(r)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export async function writeSummary(dir: string, summary: Summary): Promise<string> {
  const file = join(dir, 'summary.json');
  await writeFile(file, `${JSON.stringify(summary, null, 2)}\n`);
  return file;
}

/** Points <outDir>/latest at the newest run folder. */
export async function updateLatest(outDir: string, runId: string): Promise<void> {
  const link = join(outDir, 'latest');
  await rm(link, { force: true, recursive: true });
  await symlink(runId, link, 'dir');
}

export async function makeRunDir(outDir: string, runId: string): Promise<string> {
  const dir = join(outDir, runId);
  await mkdir(dir, { recursive: true });
  return dir;
}
