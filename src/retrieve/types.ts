import type { Chunk } from '../chunk/types.ts';

export interface Citation {
  doc: string;
  page: number;
  pageEnd: number;
  charStart: number;
  charEnd: number;
  quote: string;
}

export interface Hit {
  rank: number;
  score: number;
  chunkId: string;
  citation: Citation;
}

export interface ScoredChunk {
  chunk: Chunk;
  score: number;
}

/** Indexes chunks and answers text queries: dense (embedder + store), BM25 or hybrid. */
export interface Retriever {
  readonly id: string;
  index(chunks: readonly Chunk[]): Promise<void>;
  search(query: string, k: number): Promise<ScoredChunk[]>;
  close(): Promise<void>;
}
