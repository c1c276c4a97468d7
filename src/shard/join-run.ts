import { isDeepStrictEqual } from 'node:util';
import type { StatisticsSettings } from '../evaluate/intervals.ts';
import type { ChunkQuality } from '../stage-eval/chunking/schema.ts';
import type { LossStage } from '../stage-eval/loss/schema.ts';
import type { PerQuestion, RunResult } from '../summary/schema.ts';
import { InputError } from '../util/errors.ts';
import { accuracyFromPerQuestion, chunkQualityFromPerQuestion, lossFromPerQuestion } from './accuracy.ts';
import { joinLatency } from './latency.ts';
import { mergeCache, mergeLoad } from './load.ts';

/** One question shard's copy of a run, with where its questions sit in the whole sample. */
export interface RunPart {
  /** For messages: the shard's file and label. */
  where: string;
  run: RunResult;
  /** positions[i]: index in the whole sample of the shard's i-th question. */
  positions: readonly number[];
}

/** Per-question arrays of every part put back at their positions in the whole sample. */
function place<T>(size: number, parts: readonly RunPart[], column: (p: RunPart) => readonly T[] | undefined, field: string): T[] {
  const out = new Array<T>(size);
  for (const p of parts) {
    const values = column(p);
    if (!values || values.length !== p.positions.length) {
      throw new InputError(`${p.where}: run "${p.run.name}": ${field} has ${values?.length ?? 0} values for ${p.positions.length} questions; the shard's summary is incomplete`);
    }
    p.positions.forEach((at, i) => (out[at] = values[i] as T));
  }
  return out;
}

function joinPerQuestion(size: number, parts: readonly RunPart[]): PerQuestion {
  const keys = Object.keys(parts[0]?.run.perQuestion ?? {});
  for (const p of parts) {
    const got = Object.keys(p.run.perQuestion ?? {});
    if (got.sort().join() !== keys.slice().sort().join()) throw new InputError(`${p.where}: run "${p.run.name}": perQuestion has metrics ${got.join(', ')}, other shards ${keys.join(', ')}`);
  }
  return Object.fromEntries(keys.map((k) => [k, place(size, parts, (p) => p.run.perQuestion?.[k], `perQuestion.${k}`)]));
}

/**
 * One configuration scored by several question shards, joined: per-question arrays back in the
 * whole sample's order; accuracy, chunk quality and loss recomputed from them (intervals with
 * the same seed, so they equal an unsharded run's); latency from the concatenated samples; load
 * from merged histograms. Ingest, routing and chunk shape are the same work on every shard:
 * shard 1's figures are kept (its machine is named in `merged.shards`). A part that did not
 * complete makes the run that status, naming the shard.
 */
export function joinRun(size: number, parts: readonly RunPart[], statistics: StatisticsSettings): RunResult {
  const first = (parts[0] as RunPart).run;
  for (const p of parts) {
    if (p.run.id !== first.id || !isDeepStrictEqual(p.run.config, first.config)) throw new InputError(`${p.where}: run "${p.run.name}" is not the configuration the other shards ran (${first.id})`);
    if (p.run.consensus || p.run.backend) throw new InputError(`${p.where}: run "${p.run.name}": consensus and backends figures are aggregates over all queries and cannot be joined by question; run that suite unsharded`);
  }
  const unfinished = parts.find((p) => p.run.status !== 'completed');
  if (unfinished) {
    return { id: first.id, name: first.name, config: first.config, status: unfinished.run.status, error: `${unfinished.where}: ${unfinished.run.error ?? unfinished.run.status}` };
  }
  const perQuestion = joinPerQuestion(size, parts);
  const semantic = perQuestion.semanticAccuracy ?? [];
  const accuracy = first.accuracy;
  if (!accuracy) throw new InputError(`${parts[0]?.where}: run "${first.name}": completed without accuracy`);
  const evidence = {
    located: parts.reduce((a, p) => a + (p.run.accuracy?.evidenceLocated ?? 0), 0),
    fuzzy: parts.reduce((a, p) => a + (p.run.accuracy?.evidenceFuzzy ?? 0), 0),
  };
  const out: RunResult = {
    ...first,
    accuracy: accuracyFromPerQuestion(accuracy.k, perQuestion, evidence, statistics),
    perQuestion,
  };
  if (first.latency) out.latency = joinLatency(parts.map((p) => ({ where: `${p.where}: run "${p.run.name}"`, latency: need(p, p.run.latency, 'latency') })));
  if (first.memory) out.memory = { ...first.memory, peakRssBytes: Math.max(...parts.map((p) => p.run.memory?.peakRssBytes ?? 0)) };
  if (first.chunking) {
    const q = first.chunking.quality;
    const pq: ChunkQuality['perQuestion'] = {
      tokenPrecision: place(size, parts, (p) => p.run.chunking?.quality.perQuestion.tokenPrecision, 'chunking.quality.perQuestion.tokenPrecision'),
      tokenRecall: place(size, parts, (p) => p.run.chunking?.quality.perQuestion.tokenRecall, 'chunking.quality.perQuestion.tokenRecall'),
      tokenIou: place(size, parts, (p) => p.run.chunking?.quality.perQuestion.tokenIou, 'chunking.quality.perQuestion.tokenIou'),
    };
    out.chunking = { quality: chunkQualityFromPerQuestion(q.k, pq, semantic, statistics), shape: first.chunking.shape };
  }
  if (first.loss) {
    const blamed = place<LossStage | null>(size, parts, (p) => p.run.loss?.perQuestion, 'loss.perQuestion');
    out.loss = lossFromPerQuestion(first.loss.k, blamed, semantic);
  }
  if (first.load) {
    out.load = mergeLoad(`${parts[0]?.where}: run "${first.name}"`, parts.map((p) => need(p, p.run.load, 'load')));
    if (first.cache) out.cache = mergeCache(out.load, parts.map((p) => need(p, p.run.cache, 'cache')));
  }
  return out;
}

function need<T>(p: RunPart, value: T | undefined, field: string): T {
  if (value === undefined) throw new InputError(`${p.where}: run "${p.run.name}": ${field}: missing here but present in shard 1; shards must run the same suite`);
  return value;
}
