import { isDeepStrictEqual } from 'node:util';
import type { ShardRecord, Summary } from '../summary/schema.ts';
import { InputError } from '../util/errors.ts';

/** A shard's summary and where it was read from (for messages). */
export interface ShardInput {
  file: string;
  summary: Summary & { shard: ShardRecord };
}

/** `file (shard i/n)`, how messages name a shard. */
export const label = (s: ShardInput): string => `${s.file} (shard ${s.summary.shard.index}/${s.summary.shard.count})`;

/** The part of a summary every shard of one suite run must agree on, by the field a message names. */
function agreedFields(s: Summary): Record<string, unknown> {
  const shard = s.shard;
  return {
    'shard.count': shard?.count,
    'shard.by': shard?.by,
    'shard.totalConfigurations': shard?.totalConfigurations,
    suite: s.suite,
    'golden.name': s.golden.name,
    'golden.documents': s.golden.documents,
    'golden.questions': s.golden.questions,
    'golden.answerable': s.golden.answerable,
    // By questions each shard scores its part of one sample (shard.sample); by configurations all score the same.
    'golden.sample': shard?.by === 'questions' ? shard.sample : s.golden.sample,
    settings: s.settings,
    versions: s.versions,
  };
}

/**
 * Refuses shards that cannot form one suite run: a summary that is not a shard, shards of
 * another suite, golden set, sample, settings or library versions, a shard given twice, or a
 * missing one (named). Returns them ordered by index.
 */
export function checkShards(inputs: readonly { file: string; summary: Summary }[]): ShardInput[] {
  if (inputs.length === 0) throw new InputError('ragbench merge: no summary.json given; pass every shard\'s summary.json');
  for (const { file, summary } of inputs) {
    if (summary.merged) throw new InputError(`${file}: merged: this summary was already merged from shards; pass the shards' own summary.json files`);
    if (!summary.shard) throw new InputError(`${file}: shard: this summary is not a shard (it was not run with --shard i/n); merge only joins the shards of one sharded run`);
  }
  const shards = (inputs as ShardInput[]).slice().sort((a, b) => a.summary.shard.index - b.summary.shard.index);
  const first = shards[0] as ShardInput;
  const expected = agreedFields(first.summary);
  for (const s of shards.slice(1)) {
    const got = agreedFields(s.summary);
    for (const [field, value] of Object.entries(expected)) {
      if (!isDeepStrictEqual(value, got[field])) {
        throw new InputError(
          `${s.file}: ${field} differs from ${first.file}'s: shards must come from one run of the same suite, golden set, sample, settings and versions` +
            ` (${describe(value)} vs ${describe(got[field])}); re-run the odd shard with the same checkout and suite`,
        );
      }
    }
  }
  const count = first.summary.shard.count;
  const seen = new Map<number, ShardInput>();
  for (const s of shards) {
    const other = seen.get(s.summary.shard.index);
    if (other) throw new InputError(`${s.file}: shard ${s.summary.shard.index}/${count} is given twice (also ${other.file}); pass each shard once`);
    seen.set(s.summary.shard.index, s);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    throw new InputError(
      `ragbench merge: shard ${missing.map((i) => `${i}/${count}`).join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing (given: ${shards.map(label).join(', ')}); ` +
        `a merge needs all ${count} shards: re-run the missing one with --shard ${missing[0]}/${count}`,
    );
  }
  return shards;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
