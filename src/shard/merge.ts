import { isDeepStrictEqual } from 'node:util';
import { compareWithFaultFree } from '../suite/consensus-section.ts';
import { newRunId } from '../suite/output.ts';
import type { GoldenSample, Machine, MergedRecord, QueryRecord, RunResult, Summary } from '../summary/schema.ts';
import { InputError } from '../util/errors.ts';
import { checkShards, label as where, type ShardInput } from './check.ts';
import { joinRun, type RunPart } from './join-run.ts';

/** A shard as `ragbench merge` reads it: its summary.json and the queries.jsonl beside it. */
export interface ShardFile {
  file: string;
  summary: Summary;
  records: readonly QueryRecord[];
}

export interface MergedSuiteRun {
  summary: Summary;
  records: QueryRecord[];
}

/** The configuration runs of a shard (in its share's order) and the suite-level runs shard 1 adds after them (migrations). */
function splitRuns(s: ShardInput): { configurations: RunResult[]; suiteLevel: RunResult[] } {
  const n = s.summary.shard.configurations.length;
  return { configurations: s.summary.runs.slice(0, n), suiteLevel: s.summary.runs.slice(n) };
}

/** By configurations: every shard's runs put back at their positions in the suite's expanded order. */
function joinConfigurations(shards: readonly ShardInput[]): RunResult[] {
  const placed: (RunResult | undefined)[] = new Array(shards[0]?.summary.shard.totalConfigurations ?? 0);
  const seen = new Map<string, ShardInput>();
  const suiteLevel: RunResult[] = [];
  for (const s of shards) {
    const runs = splitRuns(s);
    runs.configurations.forEach((run, i) => {
      const other = seen.get(run.id);
      if (other) throw new InputError(`${where(s)}: run "${run.name}" (${run.id}) was also run by ${where(other)}: the shards overlap; run each with its own --shard i/n`);
      seen.set(run.id, s);
      placed[s.summary.shard.configurations[i] as number] = run;
    });
    suiteLevel.push(...runs.suiteLevel);
  }
  // A shard interrupted before a configuration ran leaves a gap, as an interrupted unsharded run does.
  return [...placed.filter((r): r is RunResult => r !== undefined), ...suiteLevel];
}

/** By questions: each shard's question ids located in the whole sample; every question in exactly one shard. */
function questionPositions(shards: readonly ShardInput[], whole: GoldenSample): number[][] {
  const at = new Map(whole.ids.map((id, i) => [id, i]));
  const owner = new Map<string, ShardInput>();
  const positions = shards.map((s) =>
    s.summary.golden.sample.ids.map((id) => {
      const i = at.get(id);
      if (i === undefined) throw new InputError(`${where(s)}: golden.sample.ids: question "${id}" is not in the suite's sample (shard.sample)`);
      const other = owner.get(id);
      if (other) throw new InputError(`${where(s)}: question "${id}" was also scored by ${where(other)}: the shards overlap`);
      owner.set(id, s);
      return i;
    }),
  );
  const missing = whole.ids.filter((id) => !owner.has(id));
  if (missing.length > 0) throw new InputError(`ragbench merge: ${missing.length} questions of the sample were scored by no shard (first: ${missing[0]}); were the shards run with different --shard counts?`);
  return positions;
}

/** By questions: the one configuration joined across shards, then shard 1's suite-level runs. */
function joinQuestions(shards: readonly ShardInput[], whole: GoldenSample, statistics: Summary['settings']['statistics']): RunResult[] {
  const positions = questionPositions(shards, whole);
  const parts: RunPart[] = shards.map((s, i) => {
    const run = splitRuns(s).configurations[0];
    if (!run) throw new InputError(`${where(s)}: runs: this shard has no result for the suite's configuration (interrupted before it ran?); re-run it with --shard ${s.summary.shard.index}/${s.summary.shard.count}`);
    return { where: where(s), run, positions: positions[i] as number[] };
  });
  return [joinRun(whole.ids.length, parts, statistics), ...shards.flatMap((s) => splitRuns(s).suiteLevel)];
}

/** queries.jsonl in the unsharded order: run by run (the merged order), each run's questions in sample order. */
function orderRecords(records: readonly QueryRecord[], runs: readonly RunResult[], ids: readonly string[]): QueryRecord[] {
  const runAt = new Map(runs.map((r, i) => [r.id, i]));
  const questionAt = new Map(ids.map((id, i) => [id, i]));
  const key = (r: QueryRecord): [number, number] => [runAt.get(r.run) ?? runs.length, questionAt.get(r.questionId) ?? ids.length];
  return records
    .map((r, i) => ({ r, i, k: key(r) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.i - b.i)
    .map((x) => x.r);
}

const machineKind = ({ hostname: _, ...kind }: Machine): Omit<Machine, 'hostname'> => kind;

/**
 * Joins the shards of one suite run into the summary and queries an unsharded run would have
 * written (docs/sharding.md): configurations concatenated in the suite's order, or one
 * configuration's questions joined back in sample order with accuracy and intervals recomputed;
 * latency and load percentiles recomputed from samples and merged histograms, never averaged.
 * `machine` is shard 1's; `merged.shards` records every shard's run and machine. No verdict:
 * judge the merged summary (ragbench gate, or merge --gate).
 */
export function mergeShards(inputs: readonly ShardFile[], now = new Date()): MergedSuiteRun {
  const shards = checkShards(inputs.map(({ file, summary }) => ({ file, summary })));
  const first = (shards[0] as ShardInput).summary;
  const { by, count } = first.shard;
  const whole = by === 'questions' ? first.shard.sample : first.golden.sample;
  if (!whole) throw new InputError(`${(shards[0] as ShardInput).file}: shard.sample: missing on a question shard; re-run it with this ragbench`);
  const runs = by === 'questions' ? joinQuestions(shards, whole, first.settings.statistics) : joinConfigurations(shards);
  const recordsOf = new Map(inputs.map((i) => [i.file, i.records]));
  const records = orderRecords(
    shards.flatMap((s) => recordsOf.get(s.file) ?? []),
    runs,
    whole.ids,
  );
  if (first.shard.faultFree !== undefined) compareWithFaultFree(runs, records, first.shard.faultFree);
  const merged: MergedRecord = {
    by,
    count,
    machinesAlike: shards.every((s) => isDeepStrictEqual(machineKind(s.summary.machine), machineKind(first.machine))),
    shards: shards.map((s) => ({
      index: s.summary.shard.index,
      runId: s.summary.runId,
      startedAt: s.summary.startedAt,
      finishedAt: s.summary.finishedAt,
      machine: s.summary.machine,
      runs: s.summary.runs.map((r) => r.id),
      questions: s.summary.golden.sample.size,
    })),
  };
  // Shard 1's summary carries the suite-level sections (e.g. extraction); a shard's verdict judged only its share.
  const { shard: _shard, verdict: _verdict, rollbacks: _rollbacks, ...base } = first;
  const summary: Summary = {
    ...base,
    runId: newRunId(now),
    startedAt: shards.map((s) => s.summary.startedAt).sort()[0] as string,
    finishedAt: shards.map((s) => s.summary.finishedAt).sort().at(-1) as string,
    golden: { ...first.golden, sample: whole },
    runs,
    merged,
  };
  return { summary, records };
}
