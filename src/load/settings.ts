import { z } from 'zod';

/** The load section of a suite (`load:`): what `ragbench run` drives each served run with. */
export const LoadSuiteSchema = z
  .strictObject({
    /** Connections kept busy, one step each (autocannon `connections`). */
    concurrency: z.array(z.int().min(1).max(1024)).min(1).default([1, 8, 32, 128]),
    /** The concurrency whose zipf step the gate judges (load.p95Ms, load.rps, cache.*). */
    gateAt: z.int().min(1).default(32),
    /** Upper bounds of every step: it ends at whichever comes first. */
    stepSeconds: z.number().positive().max(600).default(10),
    stepRequests: z.int().min(1).default(200_000),
    /** /health and hits steps are cheap and steady: they get this share of stepSeconds. */
    fastStepShare: z.number().positive().max(1).default(0.5),
    /** Untimed zipf requests before the steps: fill the cache and warm the JIT (at most `warmupSeconds`). */
    warmupRequests: z.int().min(0).default(5000),
    warmupSeconds: z.number().min(0).max(3600).default(120),
    mixes: z.array(z.enum(['zipf', 'unique', 'hits'])).min(1).default(['zipf', 'unique', 'hits']),
    zipf: z
      .strictObject({
        /** Zipf exponent s: P(rank r) ∝ 1 / r^s (web query logs: about 0.8 to 1.2). */
        exponent: z.number().positive().max(4).default(1),
        /** Distinct golden questions the zipf mix draws from (the rest feed the unique mix). */
        questions: z.int().min(2).default(1000),
        /**
         * Requests of each zipf step: bounded by count, not time, so every run asks the same
         * questions and leaves the cache in the same state, however fast the machine (at most
         * `maxSeconds` a step; a step cut short says so).
         */
        requests: z.int().min(1).default(20_000),
        maxSeconds: z.number().positive().max(3600).default(120),
        seed: z.int().default(20261201),
      })
      .prefault({}),
    /** Distinct questions the hits mix cycles through (asked once in the warm-up, so cached). */
    hitQuestions: z.int().min(1).default(50),
    /** Requests without an answer after this long count as timeouts (autocannon `timeout`). */
    timeoutSeconds: z.number().positive().max(600).default(10),
    soak: z
      .strictObject({
        seconds: z.number().positive().max(24 * 3600).default(180),
        concurrency: z.int().min(1).max(1024).default(8),
        mix: z.enum(['zipf', 'unique', 'hits']).default('zipf'),
        /** RSS may grow at most this much from the soak's first fifth to its last (gate: load.soak.growthOfBound <= 1). */
        rssGrowthMaxMiB: z.number().positive().default(64),
        /** RSS is read from GET /stats this often. */
        sampleEveryMs: z.int().min(100).default(1000),
      })
      .optional(),
    /** Service settings (server, cache, query) from this file, relative to the suite; the run gives the pipeline and the golden set the documents. */
    service: z.string().min(1).optional(),
    /** The service's query-embedding worker threads (service config `pipeline.embedWorkers`; 0: in its event loop). */
    embedWorkers: z.int().min(0).max(64).default(0),
    /** Sample of latencies kept for the gate's bootstrap (per gated step). */
    keepSamples: z.int().min(100).max(100_000).default(2000),
  })
  .refine((l) => l.concurrency.includes(l.gateAt), { message: 'gateAt must be one of the concurrency steps', path: ['gateAt'] });

export type LoadSettings = z.output<typeof LoadSuiteSchema>;
export type Mix = LoadSettings['mixes'][number];
