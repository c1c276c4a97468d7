import type { EmbedderOptions } from './registry.ts';

/** What a pool worker builds: a registry embedder, by name and options (structured-cloneable). */
export interface PooledModelSpec {
  /** Registry name, e.g. "use-lite". */
  name: string;
  options: EmbedderOptions;
}

/** Parent → worker: one `embedDocuments` call, or one `embedQuery` (texts then holds one text). */
export interface PoolTask {
  kind: 'documents' | 'query';
  texts: string[];
}

/** Worker → parent: the vectors packed row after row (one transferable buffer), or the error. */
export type PoolReply =
  | { ok: true; id: string; count: number; dimensions: number; packed: Float32Array }
  | { ok: false; error: string };
