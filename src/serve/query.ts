import type { FastifyBaseLogger } from 'fastify';
import type { Tracer } from '@opentelemetry/api';
import { z } from 'zod';
import type { Pipeline } from '../pipeline/pipeline.ts';
import { collectQueryReports } from '../store/consensus/report-scope.ts';
import { ConsensusStore } from '../store/consensus/router.ts';
import type { QueryReport } from '../store/consensus/report.ts';
import { QueryCache, normalizeQuestion } from './cache.ts';
import type { ServiceConfig } from './config.ts';
import { HttpError, notReady, overloaded, timedOut } from './errors.ts';
import type { ServiceMetrics } from './metrics.ts';
import type { CacheStatus, ServiceStats } from './stats.ts';
import { failSpan, recordStageSpans, startQuerySpan } from './tracing.ts';

export function querySchema(config: ServiceConfig['query']) {
  return z.strictObject({
    /** The question, in natural language (trimmed; at most query.maxQuestionChars). */
    question: z.string().trim().min(1, 'must not be empty').max(config.maxQuestionChars),
    /** Hits to answer (default query.defaultK, at most query.maxK). */
    k: z.int().min(1).max(config.maxK).optional(),
    filters: z
      .strictObject({
        /** Only hits from these document ids. */
        documents: z.array(z.string().min(1)).min(1).max(1000).optional(),
      })
      .optional(),
    /** Skip the result cache (neither read nor written): `cache: "bypass"`. */
    noCache: z.boolean().optional(),
  });
}

export type QueryRequest = z.output<ReturnType<typeof querySchema>>;

/** What the vote decided, when the store is the consensus router. */
export interface ConsensusAnswer {
  agreement: number;
  quorumMet: boolean;
  agreed: string[];
  dissented: string[];
  timedOut: string[];
  failed: string[];
  /** Skipped: catching up on writes they missed. */
  behind: string[];
}

/** A computed answer as the cache keeps it: the hits already serialised, so a hit sends bytes. */
export interface CachedAnswer {
  bytes: number;
  hitsJson: string;
  hitCount: number;
  indexVersion: number;
  stages: { embedMs: number; searchMs: number; mergeMs: number };
  consensus?: ConsensusAnswer;
}

export interface QueryAnswer {
  /** The JSON body, built as a string (a cache hit serialises nothing but its timings). */
  json: string;
  cache: CacheStatus;
  totalMs: number;
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

/** One query to compute: the normalised question, its k and document filter, its trace span and request log. */
interface ComputeRequest {
  question: string;
  k: number;
  documents: string[] | undefined;
  span: ReturnType<typeof startQuerySpan>;
  log: FastifyBaseLogger;
}

/**
 * POST /query: the result cache (single flight), the concurrency limit (503), the request
 * timeout (504), stage timings, spans and metrics around Pipeline.queryTimed.
 */
export class QueryService {
  readonly cache: QueryCache<CachedAnswer>;
  /** Identifies the pipeline configuration in every cache key. */
  private readonly configKey: string;
  private computing = 0;
  private readonly running = new Set<Promise<unknown>>();
  ready = false;

  constructor(
    private readonly pipeline: Pipeline,
    private readonly config: ServiceConfig,
    private readonly metrics: ServiceMetrics,
    private readonly stats: ServiceStats,
    private readonly tracer: Tracer,
  ) {
    this.configKey = JSON.stringify(pipeline.config);
    // Every series exists from the first scrape, at 0, so dashboards and alerts see it.
    const store = pipeline.store;
    const backends = store instanceof ConsensusStore ? store.backendNames() : store ? [store.id] : [];
    for (const backend of backends) for (const kind of ['error', 'timeout']) metrics.backendErrors.inc({ backend, kind }, 0);
    for (const reason of ['overload', 'timeout']) metrics.queriesRejected.inc({ reason }, 0);
    for (const cache of ['hit', 'miss', 'bypass']) metrics.queryDuration.zero({ cache });
    for (const stage of ['embed', 'search', 'merge']) metrics.stageDuration.zero({ stage });
    this.cache = new QueryCache<CachedAnswer>(config.cache, {
      hit: () => metrics.cacheHits.inc(),
      miss: () => metrics.cacheMisses.inc(),
      evicted: () => metrics.cacheEvictions.inc(),
      expired: () => metrics.cacheExpirations.inc(),
      notCacheable: () => metrics.cacheNotCacheable.inc(),
    });
  }

  get inFlight(): number {
    return this.computing;
  }

  /** Answers one query; `startedAt` is performance.now() when the request arrived. */
  async answer(request: QueryRequest, startedAt: number, log: FastifyBaseLogger): Promise<QueryAnswer> {
    if (!this.ready) throw notReady(this.config.server.retryAfterSeconds);
    const question = normalizeQuestion(request.question);
    const k = request.k ?? this.config.query.defaultK;
    const documents = request.filters?.documents ? [...new Set(request.filters.documents)].sort() : undefined;
    const version = this.pipeline.indexVersion;
    const span = startQuerySpan(this.tracer, { 'ragbench.k': k, 'ragbench.index_version': version });
    const compute = () => this.compute({ question, k, documents, span, log });
    try {
      let value: CachedAnswer;
      let status: CacheStatus;
      if (request.noCache || !this.cache.enabled) {
        value = (await this.withTimeout(compute())).value;
        status = 'bypass';
      } else {
        const key = JSON.stringify([this.configKey, version, k, documents ?? null, question]);
        const lookup = await this.withTimeout(this.cache.getOrCompute(key, compute));
        if (lookup.joined) {
          this.stats.count('joined');
          this.metrics.cacheJoins.inc();
        }
        value = lookup.value;
        status = lookup.status;
      }
      const totalMs = performance.now() - startedAt;
      span.setAttribute('ragbench.cache', status);
      span.setAttribute('ragbench.hits', value.hitCount);
      this.stats.answered(status, totalMs);
      this.metrics.queryDuration.observe({ cache: status }, totalMs / 1000);
      return { json: this.render(value, status, totalMs), cache: status, totalMs };
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  }

  private render(v: CachedAnswer, status: CacheStatus, totalMs: number): string {
    const s = status === 'hit' ? { embedMs: 0, searchMs: 0, mergeMs: 0 } : v.stages;
    const timings = `{"embedMs":${round(s.embedMs)},"searchMs":${round(s.searchMs)},"mergeMs":${round(s.mergeMs)},"totalMs":${round(totalMs)}}`;
    const consensus = v.consensus ? `,"consensus":${JSON.stringify(v.consensus)}` : '';
    return `{"hits":${v.hitsJson},"timings":${timings},"cache":"${status}","indexVersion":${v.indexVersion}${consensus}}`;
  }

  /** Runs the pipeline within the concurrency limit; a full house answers 503 at once. */
  private compute(query: ComputeRequest): Promise<{ value: CachedAnswer; computeMs: number }> {
    const limit = this.config.server.maxConcurrentQueries;
    if (this.computing >= limit) {
      this.stats.count('rejected');
      this.metrics.queriesRejected.inc({ reason: 'overload' });
      return Promise.reject(overloaded('queries being computed', limit, this.config.server.retryAfterSeconds));
    }
    this.computing++;
    this.metrics.queriesComputing.inc();
    const run = this.run(query).finally(() => {
      this.computing--;
      this.metrics.queriesComputing.dec();
      this.running.delete(run);
    });
    this.running.add(run);
    return run;
  }

  private async run({ question, k, documents, span, log }: ComputeRequest): Promise<{ value: CachedAnswer; computeMs: number }> {
    const startedAt = performance.now();
    this.stats.count('computed');
    let result;
    const reports: QueryReport[] = [];
    try {
      result = await collectQueryReports(reports, () => this.pipeline.queryTimed(question, k, documents ? { documents } : {}));
    } catch (error) {
      this.stats.count('errors');
      this.noteBackendErrors(error, reports.at(-1));
      log.error({ err: error }, 'query failed');
      throw new HttpError(502, {
        error: 'backend error',
        message: `the vector store ${this.pipeline.store?.id ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
    const computeMs = performance.now() - startedAt;
    const consensus = this.consensusOf(reports.at(-1));
    recordStageSpans(this.tracer, span, { startedAt, ...result }, consensus ? { 'ragbench.consensus.agreement': consensus.agreement } : {});
    const stages = { embed: result.embedMs, search: result.searchMs, merge: result.mergeMs };
    for (const [stage, ms] of Object.entries(stages) as [keyof typeof stages, number][]) {
      this.stats.stage(stage, ms);
      this.metrics.stageDuration.observe({ stage }, ms / 1000);
    }
    const hitsJson = JSON.stringify(result.hits);
    const value: CachedAnswer = {
      bytes: Buffer.byteLength(hitsJson) + 200,
      hitsJson,
      hitCount: result.hits.length,
      indexVersion: result.indexVersion,
      stages: { embedMs: result.embedMs, searchMs: result.searchMs, mergeMs: result.mergeMs },
      ...(consensus && { consensus }),
    };
    return { value, computeMs };
  }

  /** This query's own vote (captured per request, so concurrent queries never see each other's). */
  private consensusOf(r: QueryReport | undefined): ConsensusAnswer | undefined {
    if (!r) return undefined;
    this.metrics.consensusAgreement.set(r.agreement);
    this.metrics.consensusAgreementRatio.observe(r.agreement);
    if (!r.quorumMet) this.metrics.consensusNoQuorum.inc();
    for (const b of r.timedOut) this.metrics.backendErrors.inc({ backend: b, kind: 'timeout' });
    for (const f of r.failed) this.metrics.backendErrors.inc({ backend: f.backend, kind: 'error' });
    return {
      agreement: r.agreement,
      quorumMet: r.quorumMet,
      agreed: r.agreed,
      dissented: r.dissented,
      timedOut: r.timedOut,
      failed: r.failed.map((f) => f.backend),
      behind: r.behind,
    };
  }

  private noteBackendErrors(error: unknown, report: QueryReport | undefined): void {
    const store = this.pipeline.store;
    if (store instanceof ConsensusStore) this.consensusOf(report);
    else this.metrics.backendErrors.inc({ backend: store?.id ?? 'none', kind: error instanceof Error && /timed? ?out/i.test(error.message) ? 'timeout' : 'error' });
  }

  /** 504 after the request timeout; the computation goes on (and is cached if fast enough). */
  private withTimeout<T>(work: Promise<T>): Promise<T> {
    const ms = this.config.server.requestTimeoutMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        this.stats.count('timedOut');
        this.metrics.queriesRejected.inc({ reason: 'timeout' });
        reject(timedOut(ms));
      }, ms);
    });
    return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
  }

  /** After the cache changed its index: entries of the old one go. */
  invalidate(): void {
    this.cache.clear();
    this.metrics.cacheInvalidations.inc();
  }

  /** Resolves when every pipeline query under way has finished (graceful shutdown). */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
