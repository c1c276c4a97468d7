/**
 * What each route answers, in a line, and where docs/service.md describes it. The route list
 * itself comes from the running app; generation fails when a route has no note here or a note
 * names a route the app no longer has, so a new endpoint cannot go undocumented.
 */
export const ROUTE_NOTES: Readonly<Record<string, { summary: string; statuses: string; section: string }>> = {
  'POST /query': {
    summary: 'Cited hits for a question, with stage timings, `cache` (`hit`/`miss`/`bypass`), the index version and, behind the consensus router, the vote. Body: [the query request](#the-query-request).',
    statuses: '200, 400, 413, 502, 503, 504',
    section: 'post-query',
  },
  'POST /documents': {
    summary: 'Ingests one uploaded PDF (`multipart/form-data`, field `file`, optional `id`) exactly as `ragbench ingest` does; a re-ingest replaces the document and clears the result cache.',
    statuses: '201, 400, 413, 415, 422, 503',
    section: 'post-documents',
  },
  'GET /health': {
    summary: 'Liveness: `{ status, ready, uptimeSeconds }`, also while the index loads.',
    statuses: '200',
    section: 'get-health-get-healthready',
  },
  'GET /health/ready': {
    summary: 'Readiness: the index is loaded and every backend answers `count()` within 2 s (a consensus store: its quorum of weight).',
    statuses: '200, 503',
    section: 'get-health-get-healthready',
  },
  'GET /metrics': {
    summary: 'Prometheus text: request, query, stage, cache, backend and consensus series, plus process metrics.',
    statuses: '200',
    section: 'get-metrics',
  },
  'GET /stats': {
    summary: 'JSON figures of the window since the last reset: hit ratio, hit/miss latency percentiles, stages, RSS, event-loop delay, cache.',
    statuses: '200',
    section: 'get-stats-post-statsreset',
  },
  'POST /stats/reset': {
    summary: 'Answers the figures of the window it closes and starts a new one (one call per load step).',
    statuses: '200',
    section: 'get-stats-post-statsreset',
  },
};
