import { InputError } from '../util/errors.ts';

/** One share of a suite: shard `index` of `count` (1-based, as `--shard 2/4` writes it). */
export interface ShardSpec {
  index: number;
  count: number;
}

/** `"2/4"` → { index: 2, count: 4 }; anything else is an InputError naming the option and the fix. */
export function parseShard(text: string, where = '--shard'): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new InputError(`${where} ${text}: expected i/n, e.g. --shard 1/4 (shard i of n, counted from 1)`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1) throw new InputError(`${where} ${text}: n must be at least 1`);
  if (index < 1 || index > count) throw new InputError(`${where} ${text}: i must be between 1 and ${count} (shards are counted from 1)`);
  return { index, count };
}

export const shardLabel = (s: ShardSpec): string => `${s.index}/${s.count}`;
