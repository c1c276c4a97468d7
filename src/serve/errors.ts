/** The JSON every error answer carries: a short code, a sentence, and the field when one is to blame. */
export interface ErrorBody {
  error: string;
  message: string;
  field?: string;
  reason?: string;
}

/** An error that answers with its own status (and headers, e.g. Retry-After). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly body: ErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(body.message);
    this.name = 'HttpError';
  }
}

export function overloaded(what: string, limit: number, retryAfterSeconds: number): HttpError {
  return new HttpError(
    503,
    { error: 'overloaded', message: `${what} already at the limit of ${limit} at once; retry after ${retryAfterSeconds} s` },
    { 'retry-after': String(retryAfterSeconds) },
  );
}

export function notReady(retryAfterSeconds: number): HttpError {
  return new HttpError(
    503,
    { error: 'not ready', message: 'the index is still loading (GET /health/ready says when it is done)' },
    { 'retry-after': String(retryAfterSeconds) },
  );
}

export function timedOut(timeoutMs: number): HttpError {
  return new HttpError(504, { error: 'timeout', message: `no answer within the request timeout of ${timeoutMs} ms` });
}
