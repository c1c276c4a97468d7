/** The watcher's requests to the service: every one with a timeout, so a dead service is reported, never waited on. */

export class ServiceUnreachable extends Error {
  constructor(url: string, cause: unknown) {
    const why = cause instanceof Error ? ((cause.cause as { code?: string } | undefined)?.code ?? cause.message) : String(cause);
    super(`${url}: ${why}`);
    this.name = 'ServiceUnreachable';
  }
}

export interface HttpAnswer {
  status: number;
  text: string;
}

export async function request(url: string, timeoutMs: number, init: { method?: string; json?: unknown } = {}): Promise<HttpAnswer> {
  try {
    const res = await fetch(url, {
      method: init.method ?? 'GET',
      ...(init.json !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.json) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return { status: res.status, text: await res.text() };
  } catch (error) {
    throw new ServiceUnreachable(url, error);
  }
}
