import autocannon from 'autocannon';
import * as hdr from 'hdr-histogram-js';
import { latencyHistogram, latencyPercentiles, toMicroseconds } from '../stats/latency-histogram.ts';
import { seededRandom } from '../stats/random.ts';
import type { QuestionSource } from './mixes.ts';

/** What one step sends: GET a path, or POST /query with the next question of a mix. */
export type StepTarget = { method: 'GET'; path: string } | { method: 'POST'; path: string; question: QuestionSource };

export interface DriveOptions {
  /** http://host:port of the service. */
  url: string;
  target: StepTarget;
  connections: number;
  /** The step stops after this long ... */
  seconds: number;
  /** ... or after this many requests, whichever comes first. */
  maxRequests: number;
  timeoutSeconds: number;
  /** Latencies kept in a seeded uniform sample (reservoir) for the gate's bootstrap. */
  keepSamples: number;
  seed: number;
  /** Aborted (Ctrl-C): the step stops at once, as at its time bound. */
  signal?: AbortSignal;
}

export interface DriveResult {
  seconds: number;
  requests: number;
  rps: number;
  latencyMs: { p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number; meanMs: number };
  /** Every response's latency in one HDR histogram (µs), compressed: shards merge these. */
  histogram: string;
  samplesMs: number[];
  errors: number;
  timeouts: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

/** Keeps a uniform random sample of a stream (Algorithm R), seeded so it replays. */
class Reservoir {
  readonly items: number[] = [];
  private seen = 0;
  private readonly random: () => number;

  constructor(
    private readonly size: number,
    seed: number,
  ) {
    this.random = seededRandom(seed);
  }

  add(x: number): void {
    this.seen++;
    if (this.items.length < this.size) this.items.push(x);
    else {
      const j = Math.floor(this.random() * this.seen);
      if (j < this.size) this.items[j] = x;
    }
  }
}

/**
 * One load step with autocannon as a library. Each response's latency goes into one HDR
 * histogram of this step (autocannon's own result lists no p95), so p50/p95/p99 are read from
 * every response, never averaged across connections or seconds.
 */
export async function drive(options: DriveOptions): Promise<DriveResult> {
  const { target } = options;
  const histogram = latencyHistogram();
  const reservoir = new Reservoir(options.keepSamples, options.seed);
  const statusCodes: Record<string, number> = {};
  const request: autocannon.Request =
    target.method === 'GET'
      ? { method: 'GET', path: target.path }
      : {
          method: 'POST',
          path: target.path,
          headers: { 'content-type': 'application/json' },
          // Called for every request of every connection: one shared source, so a unique mix never repeats.
          setupRequest: (req) => ({ ...req, body: JSON.stringify({ question: target.question() }) }),
        };
  let settle: (result: autocannon.Result) => void = () => undefined;
  let fail: (error: unknown) => void = () => undefined;
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  const instance = autocannon(
    {
      url: options.url,
      connections: options.connections,
      // The request bound ends the step (amount); a timer ends it at `seconds` (amount outranks duration in autocannon).
      amount: Math.max(options.maxRequests, options.connections),
      timeout: options.timeoutSeconds,
      requests: [request],
    },
    (error, result) => (error ? fail(error) : settle(result)),
  );
  let lastResponse = 0;
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    lastResponse = performance.now();
    histogram.recordValue(toMicroseconds(responseTime));
    reservoir.add(Math.round(responseTime * 1000) / 1000);
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
  });
  const started = performance.now();
  lastResponse = started;
  const timer = setTimeout(() => instance.stop(), options.seconds * 1000);
  const stop = (): void => instance.stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  let result: autocannon.Result;
  try {
    result = await done;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', stop);
  }
  const requests = histogram.totalCount;
  // From the start to the last response: autocannon's `duration` is whole seconds, and it reports
  // the end of a request-bounded run only at its next one-second tick.
  const seconds = ((requests > 0 ? lastResponse : performance.now()) - started) / 1000;
  const encoded = hdr.encodeIntoCompressedBase64(histogram);
  const latencyMs = requests > 0 ? latencyPercentiles(histogram) : { p50Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0, meanMs: 0 };
  histogram.destroy();
  return {
    seconds,
    requests,
    rps: seconds > 0 ? requests / seconds : 0,
    latencyMs: { p50Ms: latencyMs.p50Ms, p95Ms: latencyMs.p95Ms, p99Ms: latencyMs.p99Ms, maxMs: latencyMs.maxMs, meanMs: latencyMs.meanMs },
    histogram: encoded,
    samplesMs: reservoir.items,
    // autocannon counts timeouts among its errors; here they are apart.
    errors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
  };
}
