import { randomUUID } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { Tracer } from '@opentelemetry/api';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply } from 'fastify';
import type { ZodError } from 'zod';
import { Pipeline } from '../pipeline/pipeline.ts';
import { type ServiceConfig, pipelineConfigOf } from './config.ts';
import { DocumentService } from './documents.ts';
import { type ErrorBody, HttpError } from './errors.ts';
import { ServiceMetrics } from './metrics.ts';
import { QueryService, querySchema } from './query.ts';
import { QueryVectorCache } from './query-vectors.ts';
import { probeBackends } from './readiness.ts';
import { ServiceStats } from './stats.ts';
import { defaultTracer } from './tracing.ts';

export interface ServiceOptions {
  config: ServiceConfig;
  /** Structured JSON logs (fastify's pino logger); none when absent. */
  logger?: FastifyBaseLogger;
  /** OpenTelemetry tracer; the API's global one (a no-op without an SDK) when absent. */
  tracer?: Tracer;
}

/** Everything one running service is made of; `app.close()` shuts it all down gracefully. */
export interface Service {
  app: FastifyInstance;
  pipeline: Pipeline;
  queries: QueryService;
  documents: DocumentService;
  stats: ServiceStats;
  metrics: ServiceMetrics;
  queryVectors: QueryVectorCache | undefined;
}

const PROBE_TIMEOUT_MS = 2000;

/** 400 naming the first offending field (zod's path), e.g. "k: Too big: expected number to be <=100". */
function invalidBody(error: ZodError): HttpError {
  const issue = error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : '(body)';
  const message = error.issues.map((i) => `${i.path.length ? i.path.map(String).join('.') : '(body)'}: ${i.message}`).join('; ');
  return new HttpError(400, { error: 'invalid request', field, message });
}

/** Fastify's and @fastify/multipart's own client errors, as JSON the same shape as ours. */
function clientError(error: FastifyError): { status: number; body: ErrorBody } | undefined {
  const status = error.statusCode ?? 500;
  if (status >= 500) return undefined;
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
      return { status: 413, body: { error: 'payload too large', message: error.message } };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: { error: 'invalid request', field: '(body)', message: `(body): ${error.message}` } };
    default:
      return { status, body: { error: error.code ?? 'bad request', message: error.message } };
  }
}

function send(reply: FastifyReply, error: HttpError): FastifyReply {
  return reply.code(error.statusCode).headers(error.headers).send(error.body);
}

/** Builds the service: its pipeline (not yet ingested: see startService), routes, cache, metrics. */
export async function createService(options: ServiceOptions): Promise<Service> {
  const { config } = options;
  let queryVectors: QueryVectorCache | undefined;
  const pipeline = await Pipeline.create({
    ...pipelineConfigOf(config),
    wrapEmbedder: (embedder) => {
      queryVectors = new QueryVectorCache(embedder, config.cache.queryVectors);
      return queryVectors;
    },
  });
  const stats = new ServiceStats();
  // The metrics read the cache lazily; `queries` exists before the first scrape.
  let queries: QueryService | undefined;
  const metrics = new ServiceMetrics({
    cacheBytes: () => queries?.cache.figures().bytes ?? 0,
    cacheEntries: () => queries?.cache.figures().entries ?? 0,
    indexVersion: () => pipeline.indexVersion,
  });
  const service = new QueryService(pipeline, config, metrics, stats, options.tracer ?? defaultTracer());
  queries = service;
  const documents = new DocumentService(pipeline, config, metrics, () => service.invalidate());

  const app = Fastify({
    ...(options.logger ? { loggerInstance: options.logger } : { logger: false }),
    bodyLimit: config.server.bodyLimitBytes,
    requestIdHeader: 'x-request-id',
    logController: new LogController({ requestIdLogLabel: 'reqId' }),
    genReqId: () => randomUUID(),
    return503OnClosing: true,
  });
  await app.register(multipart, { limits: { fileSize: config.server.uploadLimitBytes, files: 1, fields: 10 } });

  let lastVectorHits = 0;
  let lastVectorMisses = 0;
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    metrics.inFlight.inc();
    const started = performance.now();
    // 'close' fires once whether the answer was sent or the client went away.
    reply.raw.once('close', () => {
      metrics.inFlight.dec();
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.requestDuration.observe({ route, method: request.method, status_code: String(reply.raw.statusCode) }, (performance.now() - started) / 1000);
    });
  });

  app.setErrorHandler((error: FastifyError | HttpError, request, reply) => {
    if (error instanceof HttpError) {
      if (error.statusCode >= 500) request.log.warn({ status: error.statusCode, error: error.body.error }, error.message);
      return send(reply, error);
    }
    const known = clientError(error);
    if (known) return reply.code(known.status).send(known.body);
    request.log.error({ err: error }, 'unexpected error');
    return reply.code(500).send({ error: 'internal error', message: error.message });
  });

  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({
      error: 'not found',
      message: `no route ${request.method} ${request.url.split('?')[0]}; routes: POST /query, POST /documents, GET /health, GET /health/ready, GET /metrics, GET /stats, POST /stats/reset`,
    }),
  );

  const schema = querySchema(config.query);
  app.post('/query', async (request, reply) => {
    // From the request's arrival (fastify's onRequest), so body parsing counts too.
    const started = performance.now() - reply.elapsedTime;
    const parsed = schema.safeParse(request.body ?? {});
    if (!parsed.success) throw invalidBody(parsed.error);
    const answer = await service.answer(parsed.data, started, request.log);
    request.log.info({ cache: answer.cache, totalMs: Math.round(answer.totalMs * 1000) / 1000 }, 'query answered');
    return reply.type('application/json; charset=utf-8').send(answer.json);
  });

  app.post('/documents', async (request, reply) => {
    const answer = await documents.upload(request);
    request.log.info({ document: answer.document.id, chunks: answer.document.chunks, indexVersion: answer.indexVersion }, 'document ingested');
    return reply.code(201).send(answer);
  });

  app.get('/health', async () => ({ status: 'ok', ready: service.ready, uptimeSeconds: Math.round(process.uptime()) }));

  app.get('/health/ready', async (_request, reply) => {
    const backends = await probeBackends(pipeline.store, PROBE_TIMEOUT_MS);
    const ready = service.ready && backends.ok;
    return reply.code(ready ? 200 : 503).send({
      ready,
      index: { loaded: service.ready, version: pipeline.indexVersion, documents: pipeline.documentIds().length, chunks: pipeline.chunkCount },
      backends: backends.backends,
    });
  });

  app.get('/metrics', async (_request, reply) => {
    if (queryVectors) {
      // Counters only go up: add what the query-vector cache counted since the last scrape.
      metrics.queryVectorHits.inc(queryVectors.hits - lastVectorHits);
      metrics.queryVectorMisses.inc(queryVectors.misses - lastVectorMisses);
      lastVectorHits = queryVectors.hits;
      lastVectorMisses = queryVectors.misses;
    }
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  const statsBody = () => ({
    ...stats.snapshot(),
    cache: service.cache.figures(),
    queryVectors: queryVectors ? { entries: queryVectors.size, hits: queryVectors.hits, misses: queryVectors.misses } : null,
    inFlight: { queries: service.inFlight, maxConcurrentQueries: config.server.maxConcurrentQueries },
    index: { ready: service.ready, version: pipeline.indexVersion, documents: pipeline.documentIds().length, chunks: pipeline.chunkCount },
    pipeline: pipeline.config,
  });
  app.get('/stats', async () => statsBody());
  /** The figures since the last reset, then a new window starts: one call per load step. */
  app.post('/stats/reset', async () => {
    const body = statsBody();
    stats.reset();
    return body;
  });

  // Shutdown: answers sent from now on close their connection, so keep-alive clients do not hold the server open.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_request, reply) => {
    if (closing) reply.header('connection', 'close');
  });

  app.addHook('onClose', async () => {
    service.ready = false;
    await service.drain();
    await documents.drain();
    await pipeline.close();
    stats.close();
  });

  return { app, pipeline, queries: service, documents, stats, metrics, queryVectors };
}
