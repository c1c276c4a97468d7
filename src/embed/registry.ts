import { z } from 'zod';
import { describeZodIssues, InputError } from '../util/errors.ts';
import { availableParallelism } from 'node:os';
import { PooledEmbedder } from './pool.ts';
import type { Embedder } from './types.ts';
import { TransformersEmbedder, type TransformersModelSpec } from './transformers.ts';
import { UseLiteEmbedder } from './use-lite.ts';

export interface EmbedderOptions {
  /** Texts per model call. */
  batchSize?: number;
  /** transformers.js models: root of the local model files (default $RAGBENCH_MODELS_DIR, else `models/`). */
  modelsDir?: string;
  /** transformers.js models: int8 ONNX (default) or full precision; changes the model id. */
  quantized?: boolean;
}

const BGE_QUERY_PREFIX = 'Represent this sentence for searching relevant passages: ';

/** sentence-transformers models by registry name; pooling and prefixes follow each model card. */
export const TRANSFORMERS_MODELS: Readonly<Record<string, TransformersModelSpec>> = {
  minilm: { repo: 'Xenova/all-MiniLM-L6-v2', dimensions: 384, pooling: 'mean', queryPrefix: '', documentPrefix: '' },
  'bge-small': {
    repo: 'Xenova/bge-small-en-v1.5',
    dimensions: 384,
    pooling: 'cls',
    queryPrefix: BGE_QUERY_PREFIX,
    documentPrefix: '',
  },
  'bge-base': {
    repo: 'Xenova/bge-base-en-v1.5',
    dimensions: 768,
    pooling: 'cls',
    queryPrefix: BGE_QUERY_PREFIX,
    documentPrefix: '',
  },
  'e5-small': {
    repo: 'Xenova/e5-small-v2',
    dimensions: 384,
    pooling: 'mean',
    queryPrefix: 'query: ',
    documentPrefix: 'passage: ',
  },
  'gte-small': { repo: 'Xenova/gte-small', dimensions: 384, pooling: 'mean', queryPrefix: '', documentPrefix: '' },
};

export const DEFAULT_EMBEDDER = 'use-lite';

export function embedderNames(): string[] {
  return [DEFAULT_EMBEDDER, ...Object.keys(TRANSFORMERS_MODELS)];
}

/** Creates an embedder by registry name. Models load lazily, on the first embed call. */
export function createEmbedder(name: string, options: EmbedderOptions = {}): Embedder {
  if (name === DEFAULT_EMBEDDER) return new UseLiteEmbedder(options.batchSize);
  const spec = TRANSFORMERS_MODELS[name];
  if (!spec) throw new InputError(`unknown embedder "${name}"; known: ${embedderNames().join(', ')}`);
  const quantized = options.quantized ?? true;
  // The id keys the embedding cache, so it names everything that changes the vectors.
  const id = quantized ? name : `${name}:fp32`;
  return new TransformersEmbedder(id, spec, {
    quantized,
    ...(options.modelsDir !== undefined && { modelsDir: options.modelsDir }),
    ...(options.batchSize !== undefined && { batchSize: options.batchSize }),
  });
}

const embedderOptions = z
  .strictObject({ batchSize: z.number().int().positive(), modelsDir: z.string().min(1), quantized: z.boolean() })
  .partial();

/** Checks an embedder name and its options without loading the model (a suite validates every run at load). */
export function validateEmbedder(name: string, options: Record<string, unknown>): void {
  if (!embedderNames().includes(name)) throw new InputError(`unknown embedder "${name}"; known: ${embedderNames().join(', ')}`);
  const parsed = embedderOptions.safeParse(options);
  if (!parsed.success) throw new InputError(describeZodIssues(`embedder "${name}"`, parsed.error.issues));
}

export interface PoolOptions {
  /** Worker threads at most, one model copy each. Default os.availableParallelism(). */
  size?: number;
  /**
   * Where queries are embedded: `local` (this thread: a suite times the model's own latency) or
   * `workers` (a service answering many queries at once keeps its event loop free).
   */
  queries?: 'local' | 'workers';
}

/**
 * Creates a registry embedder whose document embedding uses every core. USE-lite (TF.js WASM,
 * one thread in Node) runs in worker threads, one model copy each; its queries stay in this
 * thread (a copy loaded on the first query), so query latency is the model's own. Vectors equal
 * those of createEmbedder(name, options). transformers.js models stay in this thread: ONNX
 * Runtime's native binding cannot be loaded by a second thread of a process ("Module did not
 * self-register"), and it runs its own thread pool. With one worker (one core) there is nothing
 * to gain either, so the model stays in this thread.
 */
export function createPooledEmbedder(name: string, options: EmbedderOptions = {}, pool: PoolOptions = {}): Embedder {
  const local = createEmbedder(name, options); // checks the name; loads nothing until a call
  const size = pool.size ?? availableParallelism();
  // One worker only helps when it takes the queries off the caller's thread (a service's event loop).
  if (name !== DEFAULT_EMBEDDER || (size === 1 && pool.queries !== 'workers')) return local;
  return new PooledEmbedder(
    { name, options },
    {
      id: local.id,
      dimensions: local.dimensions,
      // One slice is one model batch (16 by default), so each worker runs the in-process batches.
      sliceSize: options.batchSize ?? 16,
      ...(pool.queries !== 'workers' && { queryEmbedder: local }),
      size,
    },
  );
}
