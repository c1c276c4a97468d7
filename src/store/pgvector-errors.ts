/** How the pgvector store words what the driver throws: the address, what went wrong, the fix. */

export const PGVECTOR_START_HINT = 'start one with node scripts/postgres-server.mjs start (or point the url option at a running server)';

/** Driver and server errors that mean "no usable connection", not "your SQL is wrong". */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN',
  '57P01', // admin_shutdown: the server is stopping
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up or shutting down
]);

const CONNECTION_MESSAGES = /Connection terminated|connection timeout|timeout exceeded when trying to connect|Query read timeout|Client has encountered a connection error|not queryable/i;

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function isConnectionError(error: unknown): boolean {
  if (error instanceof AggregateError) return error.errors.some(isConnectionError);
  const code = codeOf(error);
  if (code !== undefined && (CONNECTION_CODES.has(code) || code.startsWith('08'))) return true;
  return error instanceof Error && CONNECTION_MESSAGES.test(error.message);
}

function detail(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return detail(error.errors[0]);
  const message = error instanceof Error ? error.message : String(error);
  const code = codeOf(error);
  // A rejected vector literal can be kilobytes long: keep the message readable.
  const short = message.length > 300 ? `${message.slice(0, 300)}…` : message;
  return code && !message.includes(code) ? `${code}: ${short}` : short;
}

/** An error already worded by this store (address and fix included): passed on as it is. */
export class PgvectorError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PgvectorError';
  }
}

/** Rewrites a driver error into one naming the store, the server's address and the fix. */
export function describePgError(error: unknown, address: string, timeoutMs: number): Error {
  if (error instanceof PgvectorError) return error;
  if (isConnectionError(error)) {
    return new PgvectorError(`pgvector at ${address} is not reachable (${detail(error)}): ${PGVECTOR_START_HINT}`, { cause: error });
  }
  if (codeOf(error) === '57014') {
    return new PgvectorError(`pgvector at ${address}: statement cancelled after ${timeoutMs} ms (option timeoutMs): ${detail(error)}`, { cause: error });
  }
  return new PgvectorError(`pgvector at ${address}: ${detail(error)}`, { cause: error });
}
