/** Promise helpers of the router: timeouts, backoff, bounded parallelism. */

export class TimeoutError extends Error {
  constructor(what: string, ms: number) {
    super(`${what}: no answer within ${ms} ms`);
    this.name = 'TimeoutError';
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Rejects with a TimeoutError after `ms`. The call itself cannot be cancelled (the VectorStore
 * API has no signal), so its late settlement is swallowed here instead of going unhandled.
 */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(what, ms)), ms);
  });
  promise.catch(() => undefined);
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
  backoffFactor: number;
  maxBackoffMs: number;
  timeoutMs: number;
}

/** Runs `call` up to `attempts` times with exponential backoff; `onRetry` counts the retries. */
export async function retry<T>(call: () => Promise<T>, policy: RetryPolicy, what: string, onRetry: () => void): Promise<T> {
  let wait = policy.backoffMs;
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTimeout(call(), policy.timeoutMs, what);
    } catch (error) {
      if (attempt >= policy.attempts) throw error;
      onRetry();
      await sleep(wait);
      wait = Math.min(policy.maxBackoffMs, wait * policy.backoffFactor);
    }
  }
}

/** Maps with at most `limit` calls in flight, results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
