import type { Retriever, ScoredChunk } from './types.ts';

/** One query's results and where its time went: the runner reports latency as embed + search. */
export interface TimedSearch {
  chunks: ScoredChunk[];
  /** Embedding the query (0 for lexical retrieval). */
  embedMs: number;
  /** Everything else: index lookups, fusion, mapping hits to chunks. */
  searchMs: number;
}

/** A Retriever whose query path can be timed stage by stage. */
export interface TimedRetriever extends Retriever {
  searchTimed(query: string, k: number): Promise<TimedSearch>;
}

/** Progress of `index`, e.g. for a progress bar: chunks done out of total. */
export type IndexProgress = (done: number, total: number) => void;

export function assertK(retriever: string, k: number): void {
  if (!Number.isInteger(k) || k < 1) throw new Error(`${retriever}: k must be a positive integer, got ${k}`);
}
