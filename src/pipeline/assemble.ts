import type { Embedder } from '../embed/types.ts';
import { createRetriever, type RetrieverOptions } from '../retrieve/registry.ts';
import type { IndexProgress, TimedRetriever } from '../retrieve/timing.ts';
import { DenseRetriever } from '../retrieve/dense.ts';
import { HybridRetriever } from '../retrieve/hybrid.ts';
import { createStore } from '../store/registry.ts';
import type { VectorIndex } from '../store/types.ts';
import type { ResolvedRun } from '../suite/matrix.ts';
import { MaxSimRetriever } from '../retrieve/maxsim.ts';

export function optionsOf(spec: { name: string } & Record<string, unknown>): Record<string, unknown> {
  const { name: _name, ...options } = spec;
  return options;
}

/** Whether a configuration embeds text at all (BM25 alone does not, unless chunking semantically). */
export function needsEmbedder(run: ResolvedRun): boolean {
  return usesDenseRetrieval(run) || run.chunker.name === 'semantic';
}

export function usesDenseRetrieval(run: ResolvedRun): boolean {
  return run.retriever.name !== 'bm25';
}

/**
 * Builds the retriever (with its vector store) of one configuration. The caller owns the
 * embedder, so it can share one loaded model (and its cache) between pipelines.
 */
export async function buildRetriever(
  run: ResolvedRun,
  embedder: Embedder | undefined,
  onIndexProgress?: IndexProgress,
): Promise<TimedRetriever> {
  const store =
    usesDenseRetrieval(run) && embedder ? await createStore(run.store.name, embedder.dimensions, optionsOf(run.store)) : undefined;
  return createRetriever(
    run.retriever.name,
    { ...(embedder && { embedder }), ...(store && { store }) },
    { ...(optionsOf(run.retriever) as RetrieverOptions), ...(onIndexProgress && { onProgress: onIndexProgress }) },
  );
}

/** The vector store behind a dense or hybrid retriever (the runner reads a consensus store's report). */
export function storeOf(retriever: TimedRetriever): VectorIndex | undefined {
  if (retriever instanceof DenseRetriever) return retriever.store;
  if (retriever instanceof HybridRetriever) return retriever.dense.store;
  if (retriever instanceof MaxSimRetriever) return retriever.store;
  return undefined;
}
