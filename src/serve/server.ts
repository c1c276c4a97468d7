import type { IngestReport } from '../pipeline/pipeline.ts';
import { findPdfs } from '../pipeline/sources.ts';
import { createService, type Service, type ServiceOptions } from './app.ts';

export interface RunningService extends Service {
  /** http://host:port the service listens on (port 0 resolved). */
  address: string;
  /** The start-up ingest: resolves when the index is loaded and queries are answered. */
  loaded: Promise<IngestReport>;
  /**
   * Graceful shutdown: no new connections (new requests on open ones answer 503), requests in
   * flight finish, then the pipeline closes. After `shutdownTimeoutMs`, open connections are cut.
   */
  close(): Promise<void>;
}

/**
 * Builds the service, listens first (so /health answers while the index loads), then ingests
 * the configured documents and turns ready. Queries before that answer 503 with Retry-After.
 */
export async function startService(options: ServiceOptions): Promise<RunningService> {
  const { config } = options;
  const sources = await findPdfs(config.documents); // a missing folder fails now (exit 2), before any work
  const service = await createService(options);
  const { app, pipeline, queries } = service;
  let address: string;
  try {
    address = await app.listen({ host: config.server.host, port: config.server.port });
  } catch (error) {
    await app.close();
    throw error;
  }
  const loaded = pipeline.ingest(sources).then(async (report) => {
    // One query loads the model (ingest may have read every vector from the disk cache), so the first client does not pay for it.
    if (pipeline.chunkCount > 0) await pipeline.queryTimed('warm up', 1);
    queries.ready = true;
    app.log.info({ documents: report.documents.length, failed: report.failed, indexVersion: pipeline.indexVersion, chunks: pipeline.chunkCount }, 'index loaded: ready');
    return report;
  });
  // The caller awaits `loaded`; this only keeps an unobserved failure from being unhandled.
  loaded.catch(() => undefined);

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const timer = setTimeout(() => app.server.closeAllConnections(), config.server.shutdownTimeoutMs);
      timer.unref();
      try {
        await loaded.catch(() => undefined); // the index build cannot be interrupted halfway
        await app.close();
      } finally {
        clearTimeout(timer);
      }
    })();
    return closing;
  };
  return { ...service, address, loaded, close };
}
