import type { Embedder } from '../embed/types.ts';
import type { VectorIndex } from '../store/types.ts';
import { z } from 'zod';
import { describeZodIssues, InputError } from '../util/errors.ts';
import { Bm25Retriever } from './bm25.ts';
import { DenseRetriever } from './dense.ts';
import { HybridRetriever, type FusionMethod } from './hybrid.ts';
import { MaxSimRetriever } from './maxsim.ts';
import type { IndexProgress, TimedRetriever } from './timing.ts';

/** What dense and hybrid retrieval need; BM25 needs neither. */
export interface RetrieverDeps {
  embedder?: Embedder;
  store?: VectorIndex;
}

/** Every retriever's options, flat as a suite writes them; each retriever reads its own. */
export interface RetrieverOptions {
  /** bm25, hybrid */
  k1?: number;
  b?: number;
  /** hybrid */
  fusion?: FusionMethod;
  denseWeight?: number;
  bm25Weight?: number;
  rrfK?: number;
  candidates?: number;
  /** maxsim: nearest sentences read from the store. */
  sentenceCandidates?: number;
  /** dense, hybrid: chunks per embedding call. */
  batchSize?: number;
  onProgress?: IndexProgress;
}

const NAMES = ['dense', 'bm25', 'hybrid', 'maxsim'] as const;

const bm25Options = { k1: z.number().positive(), b: z.number().min(0).max(1) };
const denseOptions = { batchSize: z.number().int().positive() };

/** The options a suite may give each retriever (strict: a typo is an error at load, not a silent default). */
const OPTION_SCHEMAS: Record<(typeof NAMES)[number], z.ZodType> = {
  bm25: z.strictObject(bm25Options).partial(),
  dense: z.strictObject(denseOptions).partial(),
  hybrid: z
    .strictObject({
      ...bm25Options,
      ...denseOptions,
      fusion: z.enum(['rrf', 'convex']),
      denseWeight: z.number().min(0),
      bm25Weight: z.number().min(0),
      rrfK: z.number().positive(),
      candidates: z.number().int().positive(),
    })
    .partial(),
  maxsim: z
    .strictObject({
      ...bm25Options,
      ...denseOptions,
      denseWeight: z.number().min(0),
      bm25Weight: z.number().min(0),
      candidates: z.number().int().positive(),
      sentenceCandidates: z.number().int().positive(),
    })
    .partial(),
};

/** Checks a retriever name and its options without building it (a suite validates every run at load). */
export function validateRetriever(name: string, options: Record<string, unknown>): void {
  const schema = (NAMES as readonly string[]).includes(name) ? OPTION_SCHEMAS[name as (typeof NAMES)[number]] : undefined;
  if (!schema) throw new InputError(`unknown retriever "${name}"; known: ${NAMES.join(', ')}`);
  const parsed = schema.safeParse(options);
  if (!parsed.success) throw new InputError(describeZodIssues(`retriever "${name}"`, parsed.error.issues));
}

export function retrieverNames(): string[] {
  return [...NAMES];
}

/** Drops undefined values (exactOptionalPropertyTypes: absent, not undefined). */
function defined<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

function needDense(name: string, deps: RetrieverDeps): { embedder: Embedder; store: VectorIndex } {
  if (!deps.embedder || !deps.store) throw new Error(`retriever "${name}" needs an embedder and a vector store`);
  return { embedder: deps.embedder, store: deps.store };
}

/** Creates a retriever by registry name; dense and hybrid take ownership of the store. */
export function createRetriever(name: string, deps: RetrieverDeps = {}, options: RetrieverOptions = {}): TimedRetriever {
  const bm25 = defined({ k1: options.k1, b: options.b });
  const dense = defined({ batchSize: options.batchSize, onProgress: options.onProgress });
  switch (name) {
    case 'bm25':
      return new Bm25Retriever(bm25);
    case 'dense': {
      const { embedder, store } = needDense(name, deps);
      return new DenseRetriever(embedder, store, dense);
    }
    case 'hybrid': {
      const { embedder, store } = needDense(name, deps);
      const { fusion, denseWeight, bm25Weight, rrfK, candidates } = options;
      return new HybridRetriever(embedder, store, {
        ...defined({ fusion, denseWeight, bm25Weight, rrfK, candidates }),
        bm25,
        dense,
      });
    }
    case 'maxsim': {
      const { embedder, store } = needDense(name, deps);
      const { denseWeight, bm25Weight, candidates, sentenceCandidates, batchSize, onProgress } = options;
      return new MaxSimRetriever(embedder, store, {
        ...defined({ denseWeight, bm25Weight, candidates, sentenceCandidates, batchSize, onProgress }),
        bm25,
      });
    }
    default:
      throw new InputError(`unknown retriever "${name}"; known: ${NAMES.join(', ')}`);
  }
}
