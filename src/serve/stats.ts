import { latencyHistogram, latencyPercentiles, toMicroseconds } from '../stats/latency-histogram.ts';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Percentiles of one latency series, read from an HDR histogram (never averaged). */
export interface LatencySummary {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/** One latency series (HDR, microseconds), resettable per load step. */
class LatencySeries {
  private h = latencyHistogram();

  record(ms: number): void {
    this.h.recordValue(toMicroseconds(ms));
  }

  summary(): LatencySummary {
    if (this.h.totalCount === 0) return { count: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 };
    return latencyPercentiles(this.h);
  }

  reset(): void {
    this.h = latencyHistogram();
  }
}

/** The event-loop monitor samples every this many ms; its readings include the interval itself. */
const LOOP_RESOLUTION_MS = 10;

export type CacheStatus = 'hit' | 'miss' | 'bypass';
const STAGES = ['embed', 'search', 'merge'] as const;
export type Stage = (typeof STAGES)[number];

const zeroCounts = () => ({
  hit: 0,
  miss: 0,
  bypass: 0,
  /** Misses that waited for an identical computation (single flight) instead of starting one. */
  joined: 0,
  /** Pipeline queries actually run. */
  computed: 0,
  /** 503: over maxConcurrentQueries. */
  rejected: 0,
  /** 504: over the request timeout. */
  timedOut: 0,
  /** 5xx from the pipeline (a backend failed). */
  errors: 0,
});

/**
 * The figures GET /stats reports since its last reset (POST /stats/reset): what the load suite
 * reads per concurrency step. Hit, miss and bypass latencies are server-side times from the
 * request's arrival to its answer, in separate histograms.
 */
export class ServiceStats {
  private counts = zeroCounts();
  private readonly latency = { hit: new LatencySeries(), miss: new LatencySeries(), bypass: new LatencySeries() };
  private readonly stages = { embed: new LatencySeries(), search: new LatencySeries(), merge: new LatencySeries() };
  private readonly loop: IntervalHistogram = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
  private since = new Date();
  private cpu = process.cpuUsage();

  constructor() {
    this.loop.enable();
  }

  count(what: keyof ReturnType<typeof zeroCounts>): void {
    this.counts[what]++;
  }

  answered(status: CacheStatus, ms: number): void {
    this.counts[status]++;
    this.latency[status].record(ms);
  }

  stage(stage: Stage, ms: number): void {
    this.stages[stage].record(ms);
  }

  snapshot() {
    const { hit, miss } = this.counts;
    const cpu = process.cpuUsage(this.cpu);
    const memory = process.memoryUsage();
    // Delay beyond the sampling interval, in ms.
    const ns = (v: number): number => Math.max(0, Math.round(v / 1e3 - LOOP_RESOLUTION_MS * 1e3) / 1e3);
    return {
      since: this.since.toISOString(),
      seconds: (Date.now() - this.since.getTime()) / 1000,
      queries: { ...this.counts },
      hitRatio: hit + miss > 0 ? hit / (hit + miss) : null,
      latencyMs: { hit: this.latency.hit.summary(), miss: this.latency.miss.summary(), bypass: this.latency.bypass.summary() },
      stagesMs: Object.fromEntries(STAGES.map((s) => [s, this.stages[s].summary()])) as Record<Stage, LatencySummary>,
      process: {
        rssBytes: memory.rss,
        heapUsedBytes: memory.heapUsed,
        cpuUserMs: cpu.user / 1000,
        cpuSystemMs: cpu.system / 1000,
        eventLoopDelayMs: {
          p50: ns(this.loop.percentile(50)),
          p99: ns(this.loop.percentile(99)),
          max: ns(this.loop.max),
          mean: Number.isNaN(this.loop.mean) ? 0 : ns(this.loop.mean),
        },
      },
    };
  }

  /** Starts a new measurement window (counters, histograms, event-loop delay, CPU). */
  reset(): void {
    this.counts = zeroCounts();
    for (const s of Object.values(this.latency)) s.reset();
    for (const s of Object.values(this.stages)) s.reset();
    this.loop.reset();
    this.since = new Date();
    this.cpu = process.cpuUsage();
  }

  close(): void {
    this.loop.disable();
  }
}

export type StatsSnapshot = ReturnType<ServiceStats['snapshot']>;
