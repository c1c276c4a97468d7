import type { CacheRun, LoadRun, LoadStep } from '../summary/schema.ts';
import { InputError } from '../util/errors.ts';
import { mergeHistograms } from './histograms.ts';

type Server = NonNullable<LoadStep['server']>;

const max = (xs: readonly number[]): number => Math.max(0, ...xs);

/**
 * The service's own figures over one step, from every shard's service: counters added, the hit
 * ratio recomputed from them; server-side percentiles whose histograms the summary does not
 * keep are dropped (null); RSS, event-loop delay and CPU are the worst shard's (a bound, not a mean).
 */
function mergeServer(parts: readonly (Server | null)[]): Server | null {
  if (parts.some((p) => p === null)) return null;
  const servers = parts as Server[];
  const add = (f: (s: Server) => number): number => servers.reduce((a, s) => a + f(s), 0);
  const hits = add((s) => s.hits);
  const misses = add((s) => s.misses);
  const single = servers.length === 1 ? servers[0] : undefined;
  return {
    hitRatio: hits + misses === 0 ? null : hits / (hits + misses),
    hits,
    misses,
    computed: add((s) => s.computed),
    rejected: add((s) => s.rejected),
    timedOut: add((s) => s.timedOut),
    hitP95Ms: single?.hitP95Ms ?? null,
    missP95Ms: single?.missP95Ms ?? null,
    stageP50Ms: single?.stageP50Ms ?? { embed: null, search: null, merge: null },
    rssBytes: max(servers.map((s) => s.rssBytes)),
    eventLoopDelayMs: {
      p50: max(servers.map((s) => s.eventLoopDelayMs.p50)),
      p99: max(servers.map((s) => s.eventLoopDelayMs.p99)),
      max: max(servers.map((s) => s.eventLoopDelayMs.max)),
    },
    cpuCores: max(servers.map((s) => s.cpuCores)),
  };
}

/**
 * One step (a mix at a concurrency) measured by every shard: histograms added and the
 * percentiles read from the sum; responses, errors and time added, so rps is responses per
 * second of one service (Σ requests / Σ seconds), comparable with an unsharded run's.
 */
function mergeStep(parts: readonly LoadStep[]): LoadStep {
  const first = parts[0] as LoadStep;
  const { histogram, count, latencyMs } = mergeHistograms(parts.map((p) => p.histogram));
  const seconds = parts.reduce((a, p) => a + p.seconds, 0);
  const statusCodes: Record<string, number> = {};
  for (const p of parts) for (const [code, n] of Object.entries(p.statusCodes)) statusCodes[code] = (statusCodes[code] ?? 0) + n;
  return {
    mix: first.mix,
    concurrency: first.concurrency,
    seconds,
    requests: count,
    rps: seconds > 0 ? count / seconds : 0,
    latencyMs,
    errors: parts.reduce((a, p) => a + p.errors, 0),
    timeouts: parts.reduce((a, p) => a + p.timeouts, 0),
    non2xx: parts.reduce((a, p) => a + p.non2xx, 0),
    statusCodes,
    ceilingRatio: null,
    histogram,
    server: mergeServer(parts.map((p) => p.server)),
  };
}

const find = (steps: readonly LoadStep[], mix: LoadStep['mix'], concurrency: number): LoadStep | undefined =>
  steps.find((s) => s.mix === mix && s.concurrency === concurrency);

/**
 * A run's load section from every question shard's (each served and loaded the run on its own
 * machine): steps matched by mix and concurrency and merged; the gated figures re-read from the
 * merged gated step; the soak is the worst shard's (highest growth of its bound).
 */
export function mergeLoad(where: string, parts: readonly LoadRun[]): LoadRun {
  const first = parts[0] as LoadRun;
  const keys = first.steps.map((s) => `${s.mix}@${s.concurrency}`);
  for (const p of parts) {
    const got = p.steps.map((s) => `${s.mix}@${s.concurrency}`);
    if (got.join() !== keys.join() || p.gateAt !== first.gateAt) {
      throw new InputError(`${where}: load.steps differ between shards (${keys.join(', ')} vs ${got.join(', ')}): shards must run the same load settings`);
    }
  }
  const steps = first.steps.map((s) => mergeStep(parts.map((p) => find(p.steps, s.mix, s.concurrency) as LoadStep)));
  for (const s of steps) {
    const health = find(steps, 'health', s.concurrency);
    if (s.mix !== 'health' && health && health.rps > 0) s.ceilingRatio = Math.round((s.rps / health.rps) * 1000) / 1000;
  }
  const gated = find(steps, 'zipf', first.gateAt) ?? steps.find((s) => s.mix !== 'health' && s.concurrency === first.gateAt);
  if (!gated) throw new InputError(`${where}: load: no query step at the gated concurrency ${first.gateAt}`);
  const unique = steps.filter((s) => s.mix === 'unique');
  const saturated = unique.length > 0 ? unique.reduce((a, b) => (b.rps > a.rps ? b : a)) : undefined;
  const boundBy = parts.every((p) => p.saturation?.boundBy === first.saturation?.boundBy) ? (first.saturation?.boundBy ?? null) : null;
  const soaks = parts.map((p) => p.soak).filter((s) => s !== null);
  return {
    ...first,
    p50Ms: gated.latencyMs.p50Ms,
    p95Ms: gated.latencyMs.p95Ms,
    p99Ms: gated.latencyMs.p99Ms,
    rps: gated.rps,
    errorRate: gated.requests > 0 ? (gated.errors + gated.timeouts + gated.non2xx) / gated.requests : 0,
    ceilingRatio: gated.ceilingRatio,
    samplesMs: parts.flatMap((p) => p.samplesMs),
    healthCeilingRps: max(steps.filter((s) => s.mix === 'health').map((s) => s.rps)),
    saturation: saturated ? { rps: saturated.rps, concurrency: saturated.concurrency, boundBy } : null,
    steps,
    soak: soaks.length === 0 ? null : soaks.reduce((a, b) => (b.growthOfBound > a.growthOfBound ? b : a)),
  };
}

/** The cache section re-read from the merged steps (hit ratio from the added counters, hit latency from the merged hits step). */
export function mergeCache(load: LoadRun, parts: readonly CacheRun[]): CacheRun {
  const first = parts[0] as CacheRun;
  const hits = find(load.steps, 'hits', first.gateAt);
  const zipf = find(load.steps, 'zipf', first.gateAt);
  const miss = find(load.steps, 'unique', first.gateAt);
  return {
    ...first,
    hitRatio: zipf?.server?.hitRatio ?? null,
    hitP50Ms: hits?.latencyMs.p50Ms ?? first.hitP50Ms,
    hitP95Ms: hits?.latencyMs.p95Ms ?? first.hitP95Ms,
    hitP99Ms: hits?.latencyMs.p99Ms ?? first.hitP99Ms,
    hitRps: hits?.rps ?? first.hitRps,
    hitSamplesMs: parts.flatMap((p) => p.hitSamplesMs),
    missP50Ms: miss ? miss.latencyMs.p50Ms : null,
    missP95Ms: miss ? miss.latencyMs.p95Ms : null,
  };
}
