import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Seconds: from a cache hit (well under 1 ms) to a slow miss. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30];

export interface MetricsSources {
  cacheBytes(): number;
  cacheEntries(): number;
  indexVersion(): number;
}

/**
 * The service's Prometheus registry (GET /metrics). Its own registry, not prom-client's global
 * one, so two services in one process (tests) do not collide. Default metrics include the
 * event-loop delay (nodejs_eventloop_lag_*), RSS and GC.
 */
export class ServiceMetrics {
  readonly registry = new Registry();
  readonly requestDuration = new Histogram({
    name: 'ragbench_http_request_duration_seconds',
    help: 'HTTP request duration by route, method and status code',
    labelNames: ['route', 'method', 'status_code'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({ name: 'ragbench_http_requests_in_flight', help: 'HTTP requests being handled', registers: [this.registry] });
  readonly queryDuration = new Histogram({
    name: 'ragbench_query_duration_seconds',
    help: 'POST /query time to answer by cache status (hit, miss, bypass)',
    labelNames: ['cache'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly stageDuration = new Histogram({
    name: 'ragbench_query_stage_duration_seconds',
    help: 'Time of each pipeline stage of a computed query (embed, search, merge)',
    labelNames: ['stage'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  readonly queriesComputing = new Gauge({ name: 'ragbench_queries_computing', help: 'Pipeline queries running (bounded by maxConcurrentQueries)', registers: [this.registry] });
  readonly queriesRejected = new Counter({
    name: 'ragbench_queries_rejected_total',
    help: 'Queries refused: overload (503) or timeout (504)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly cacheHits = new Counter({ name: 'ragbench_cache_hits_total', help: 'Query result cache hits', registers: [this.registry] });
  readonly cacheMisses = new Counter({ name: 'ragbench_cache_misses_total', help: 'Query result cache misses', registers: [this.registry] });
  readonly cacheEvictions = new Counter({ name: 'ragbench_cache_evictions_total', help: 'Entries evicted to stay within the byte budget', registers: [this.registry] });
  readonly cacheExpirations = new Counter({ name: 'ragbench_cache_expirations_total', help: 'Entries dropped at their TTL', registers: [this.registry] });
  readonly cacheInvalidations = new Counter({ name: 'ragbench_cache_invalidations_total', help: 'Whole-cache invalidations (a re-ingest)', registers: [this.registry] });
  readonly cacheNotCacheable = new Counter({ name: 'ragbench_cache_not_cacheable_total', help: 'Results computed too slowly to be cached', registers: [this.registry] });
  readonly cacheJoins = new Counter({ name: 'ragbench_cache_single_flight_joins_total', help: 'Misses that waited for an identical query being computed', registers: [this.registry] });
  readonly queryVectorHits = new Counter({ name: 'ragbench_query_vector_cache_hits_total', help: 'Query embeddings served from memory', registers: [this.registry] });
  readonly queryVectorMisses = new Counter({ name: 'ragbench_query_vector_cache_misses_total', help: 'Query embeddings computed', registers: [this.registry] });
  readonly backendErrors = new Counter({
    name: 'ragbench_backend_errors_total',
    help: 'Vector store errors and timeouts by backend',
    labelNames: ['backend', 'kind'] as const,
    registers: [this.registry],
  });
  readonly consensusAgreement = new Gauge({
    name: 'ragbench_consensus_agreement',
    help: 'Weighted agreement of the backends with the merged top-k, last consensus query (0..1)',
    registers: [this.registry],
  });
  /** Every computed consensus query's agreement: a watcher takes the window's mean from _sum / _count. */
  readonly consensusAgreementRatio = new Histogram({
    name: 'ragbench_consensus_agreement_ratio',
    help: 'Weighted agreement of the backends with the merged top-k, per computed consensus query (0..1)',
    buckets: [0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1],
    registers: [this.registry],
  });
  readonly consensusNoQuorum = new Counter({ name: 'ragbench_consensus_no_quorum_total', help: 'Consensus queries without a quorum', registers: [this.registry] });
  readonly documentsIngested = new Counter({
    name: 'ragbench_documents_ingested_total',
    help: 'Documents ingested, by outcome',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor(sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    new Gauge({
      name: 'ragbench_cache_bytes',
      help: 'Bytes held by the query result cache',
      registers: [this.registry],
      collect() {
        this.set(sources.cacheBytes());
      },
    });
    new Gauge({
      name: 'ragbench_cache_entries',
      help: 'Entries in the query result cache',
      registers: [this.registry],
      collect() {
        this.set(sources.cacheEntries());
      },
    });
    new Gauge({
      name: 'ragbench_index_version',
      help: 'Index version (bumps on every ingest)',
      registers: [this.registry],
      collect() {
        this.set(sources.indexVersion());
      },
    });
  }
}
