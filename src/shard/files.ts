import { join, resolve } from 'node:path';
import { loadSummary } from '../gate/load.ts';
import { loadQueriesBeside } from '../report/write.ts';
import { makeRunDir, updateLatest, writeQueries, writeSummary } from '../suite/output.ts';
import type { QueryRecord, Summary } from '../summary/schema.ts';
import type { ShardFile } from './merge.ts';
import { InputError } from '../util/errors.ts';

/** A shard's summary.json (validated) and the queries.jsonl beside it (none: no records). */
export async function readShard(file: string): Promise<ShardFile & { hasQueries: boolean }> {
  const summary = await loadSummary(file, 'shard');
  const beside = await loadQueriesBeside(file);
  return { file, summary, records: beside?.queries ?? [], hasQueries: beside !== null };
}

/** Writes the merged run as `ragbench run` writes one: `<outDir>/<runId>/` with summary.json and queries.jsonl, and `<outDir>/latest`. */
export async function writeMerged(outDir: string, summary: Summary, records: readonly QueryRecord[]): Promise<string> {
  const out = resolve(outDir);
  const dir = await makeRunDir(out, summary.runId);
  await writeSummary(dir, summary);
  await writeQueries(join(dir, 'queries.jsonl'), records);
  await updateLatest(out, summary.runId);
  return dir;
}

/** Every shard's files; queries.jsonl beside some shards but not others would merge into a partial drill-down: refused. */
export async function readShards(files: readonly string[]): Promise<{ shards: ShardFile[]; withQueries: boolean }> {
  const shards = [];
  for (const f of files) shards.push(await readShard(f));
  const without = shards.filter((s) => !s.hasQueries);
  if (without.length > 0 && without.length < shards.length) {
    throw new InputError(`${without[0]?.file}: no queries.jsonl beside it, while other shards have theirs; copy each shard's queries.jsonl next to its summary.json`);
  }
  return { shards, withQueries: without.length === 0 };
}
