import { z } from 'zod';
import { ThresholdsSchema } from '../gate/thresholds.ts';
import { TuneSchema } from '../tune/schema.ts';
import { LoadSuiteSchema } from '../load/settings.ts';
import { MigrationSuiteSchema } from '../migrate/suite-settings.ts';
import { ComponentSchema, type Component } from '../pipeline/component.ts';

/**
 * suites/*.yml: which pipeline configurations to run against which golden set. The
 * TypeScript types are inferred from these schemas (one source of truth).
 */

export { ComponentSchema, type Component } from '../pipeline/component.ts';

export const AXES = ['extractor', 'chunker', 'retriever', 'embedder', 'store'] as const;
export type Axis = (typeof AXES)[number];

/** One configuration; every axis falls back to `defaults`. */
export const RunSpecSchema = z.strictObject({
  /** A short name for tables, charts and `candidate:`; derived from the configuration when absent. */
  name: z.string().min(1).max(40).optional(),
  extractor: ComponentSchema.optional(),
  chunker: ComponentSchema.optional(),
  retriever: ComponentSchema.optional(),
  embedder: ComponentSchema.optional(),
  store: ComponentSchema.optional(),
});
export type RunSpec = z.infer<typeof RunSpecSchema>;

/** One matrix block: the cartesian product of the listed axes, other axes from `defaults`. */
export const MatrixBlockSchema = z.strictObject({
  extractor: z.array(ComponentSchema).min(1).optional(),
  chunker: z.array(ComponentSchema).min(1).optional(),
  retriever: z.array(ComponentSchema).min(1).optional(),
  embedder: z.array(ComponentSchema).min(1).optional(),
  store: z.array(ComponentSchema).min(1).optional(),
});
export type MatrixBlock = z.infer<typeof MatrixBlockSchema>;

export const DEFAULT_RUN = {
  extractor: 'router',
  chunker: 'sentence',
  retriever: 'dense',
  embedder: 'use-lite',
  store: 'faiss-flat',
} as const satisfies Record<Axis, Component>;

export const SuiteSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  /** Golden set folder, relative to the suite file (overridden by --golden). */
  golden: z.string().min(1).default('../golden/squad-dev'),
  /** Hits per question that count for semantic and citation accuracy. */
  k: z.number().int().min(1).max(100).default(5),
  /** Score an evenly spread sample of N questions (every document keeps its share); all when absent. */
  questionSample: z.number().int().min(1).optional(),
  /**
   * Which split of the golden set to score: `test` (the default when the set has splits;
   * tuning uses `dev`), `dev`, or `all`. A set without splits is scored whole.
   */
  split: z.enum(['test', 'dev', 'all']).default('test'),
  /** The run (by name) that would be deployed: production targets judge it. */
  candidate: z.string().min(1).optional(),
  /** The run (by name) now in production, when the suite measures it too. */
  deployed: z.string().min(1).optional(),
  /** The run (by name) whose top-k answers consensus runs are compared with (`consensus.identicalToFaultFree`). */
  faultFree: z.string().min(1).optional(),
  /**
   * Measure each run's vector store on its own (summary `backend`): recall@10 against exact
   * search over the same vectors, and queries/s with `concurrency` queries in flight.
   */
  backends: z
    .strictObject({
      concurrency: z.number().int().min(1).max(256).default(8),
      queries: z.number().int().min(10).default(500),
    })
    .optional(),
  /**
   * Serve each run (`ragbench serve` in a child process) and load it with autocannon over
   * loopback (summary `load` and `cache`): /health and three query mixes at every concurrency,
   * then a soak. Every step is bounded in time and requests.
   */
  load: LoadSuiteSchema.optional(),
  /**
   * Score every extractor (and the router) against text nobody here wrote: the R manuals'
   * HTML edition and the golden PDFs' source paragraphs (summary `extraction`, docs/extraction.md).
   */
  extraction: z
    .strictObject({
      /** R manuals to score (default: the seven Debian ships in both editions); [] for none. */
      manuals: z.array(z.string().min(1)).optional(),
      /** Folder holding both editions (default /usr/share/R/doc/manual). */
      manualsDir: z.string().min(1).optional(),
      /** Also score the suite's golden PDFs against their source paragraphs. */
      golden: z.boolean().default(true),
      /** Registry names (default: every extractor and the router). */
      extractors: z.array(z.string().min(1)).min(1).optional(),
    })
    .optional(),
  /** Migrate a FAISS index of the golden set to each target under fault scenarios (summary `runs[].migration`). */
  migration: MigrationSuiteSchema.optional(),
  /** Parameters `ragbench tune` may search (on the dev split). */
  tune: TuneSchema.optional(),
  /** Values written by `ragbench tune`: parameter, value and where it came from. */
  tuned: z
    .array(z.strictObject({ parameter: z.string(), value: z.unknown(), source: z.string() }))
    .default([]),
  /**
   * Fault injection, for testing the gate itself: `slowdown: 1.5` makes every timed query
   * take 1.5 times as long (the extra time is spent after the real query). Never in a real suite.
   */
  inject: z.strictObject({ slowdown: z.number().min(1).max(100).optional() }).optional(),
  latency: z
    .strictObject({
      /** Queries timed per run (embed + search, no cache), over `rounds` rounds. */
      samples: z.number().int().min(20).default(300),
      rounds: z.number().int().min(1).max(20).default(3),
    })
    .default({ samples: 300, rounds: 3 })
    .refine((l) => l.samples / l.rounds >= 20, {
      message: 'each round needs at least 20 samples for its p95 to rest on (samples / rounds >= 20)',
    }),
  defaults: RunSpecSchema.default({}),
  matrix: z.array(MatrixBlockSchema).default([]),
  runs: z.array(RunSpecSchema).default([]),
  /** Gate thresholds (grammar in src/gate/thresholds.ts); production targets when absent. */
  thresholds: ThresholdsSchema.optional(),
});
export type Suite = z.infer<typeof SuiteSchema>;
