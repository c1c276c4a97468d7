import type { LoadServerSchema, LoadStep } from '../summary/schema.ts';
import type { StatsSnapshot } from '../serve/stats.ts';
import type { z } from 'zod';
import { drive, type DriveOptions, type DriveResult } from './drive.ts';
import type { ServiceProcess } from './service-process.ts';

type ServerFigures = z.infer<typeof LoadServerSchema>;

const orNull = (s: { count: number; p95Ms: number }): number | null => (s.count > 0 ? s.p95Ms : null);
const p50OrNull = (s: { count: number; p50Ms: number }): number | null => (s.count > 0 ? s.p50Ms : null);

/** The service's own view of one step (its /stats window). */
export function serverFigures(s: StatsSnapshot): ServerFigures {
  const cpuMs = s.process.cpuUserMs + s.process.cpuSystemMs;
  return {
    hitRatio: s.hitRatio,
    hits: s.queries.hit,
    misses: s.queries.miss,
    computed: s.queries.computed,
    rejected: s.queries.rejected,
    timedOut: s.queries.timedOut,
    hitP95Ms: orNull(s.latencyMs.hit),
    missP95Ms: orNull(s.latencyMs.miss),
    stageP50Ms: { embed: p50OrNull(s.stagesMs.embed), search: p50OrNull(s.stagesMs.search), merge: p50OrNull(s.stagesMs.merge) },
    rssBytes: s.process.rssBytes,
    eventLoopDelayMs: { p50: s.process.eventLoopDelayMs.p50, p99: s.process.eventLoopDelayMs.p99, max: s.process.eventLoopDelayMs.max },
    cpuCores: s.seconds > 0 ? Math.round((cpuMs / (s.seconds * 1000)) * 1000) / 1000 : 0,
  };
}

/** A step as planned: its mix and concurrency, and what autocannon is driven with. */
export interface StepPlan extends Omit<DriveOptions, 'url' | 'connections'> {
  mix: LoadStep['mix'];
  concurrency: number;
}

/** One step: a fresh /stats window, autocannon for the step's bound, then the window's figures. */
export async function runStep(service: ServiceProcess, plan: StepPlan): Promise<{ step: LoadStep; samplesMs: number[]; raw: DriveResult }> {
  await service.resetStats();
  const { mix: _mix, concurrency, ...driven } = plan;
  const raw = await drive({ ...driven, url: service.url, connections: concurrency });
  const window = await service.resetStats();
  const step: LoadStep = {
    mix: plan.mix,
    concurrency: plan.concurrency,
    seconds: Math.round(raw.seconds * 1000) / 1000,
    requests: raw.requests,
    rps: Math.round(raw.rps * 10) / 10,
    latencyMs: raw.latencyMs,
    errors: raw.errors,
    timeouts: raw.timeouts,
    non2xx: raw.non2xx,
    statusCodes: raw.statusCodes,
    ceilingRatio: null,
    histogram: raw.histogram,
    boundedBy: raw.requests >= plan.maxRequests ? 'requests' : 'time',
    // /health never touches the query path: its window says nothing about queries.
    server: plan.mix === 'health' ? null : serverFigures(window),
  };
  return { step, samplesMs: raw.samplesMs, raw };
}
