import { sentences } from '../chunk/sentences.ts';
import type { Chunk } from '../chunk/types.ts';
import type { Embedder } from '../embed/types.ts';
import type { VectorIndex } from '../store/types.ts';
import { Bm25Retriever, type Bm25Options } from './bm25.ts';
import { embeddingText } from './dense.ts';
import { assertFusionWeights, convexCombination, type FusedHit } from './fusion.ts';
import { assertK, type IndexProgress, type TimedRetriever, type TimedSearch } from './timing.ts';
import type { ScoredChunk } from './types.ts';

export interface MaxSimOptions {
  /** Weight of the dense (best sentence) score in the convex combination (default 0.4). */
  denseWeight?: number;
  /** Weight of the BM25 chunk score (default 0.6). */
  bm25Weight?: number;
  /** BM25 results taken before fusing (default 100, at least k). */
  candidates?: number;
  /** Nearest sentences read from the vector store before fusing (default 300). */
  sentenceCandidates?: number;
  bm25?: Bm25Options;
  /** Sentences per embedding call (and per store upsert). */
  batchSize?: number;
  onProgress?: IndexProgress;
}

export interface MaxSimParams {
  denseWeight: number;
  bm25Weight: number;
  candidates: number;
  sentenceCandidates: number;
  batchSize: number;
}

export function resolveMaxSimOptions(options: MaxSimOptions = {}): MaxSimParams {
  const p: MaxSimParams = {
    denseWeight: options.denseWeight ?? 0.4,
    bm25Weight: options.bm25Weight ?? 0.6,
    candidates: options.candidates ?? 100,
    sentenceCandidates: options.sentenceCandidates ?? 300,
    batchSize: options.batchSize ?? 64,
  };
  assertFusionWeights('maxsim', p);
  for (const name of ['candidates', 'sentenceCandidates', 'batchSize'] as const) {
    if (!Number.isInteger(p[name]) || p[name] < 1) throw new Error(`maxsim: ${name} must be a positive integer, got ${p[name]}`);
  }
  return p;
}

/** One sentence of a chunk, as the vector store holds it. */
interface SentenceRecord {
  id: string;
  chunkId: string;
  text: string;
}

/** The sentences of each chunk, with store ids that name the chunk and the sentence's offsets. */
export function chunkSentences(chunk: Chunk): SentenceRecord[] {
  return sentences(chunk.text).map((s) => ({
    id: `${chunk.id}#${chunk.charStart + s.start}-${chunk.charStart + s.end}`,
    chunkId: chunk.id,
    text: chunk.text.slice(s.start, s.end),
  }));
}

/**
 * Hybrid retrieval whose dense side scores sentences, not chunks: a chunk's dense score is the
 * cosine of its best-matching sentence (max-sim). One vector for a whole paragraph blurs the
 * one sentence a question is about; the chunk still is what a hit returns and cites. The two
 * scores are fused by a convex combination of min-max normalised scores (fusion.ts).
 * Owns the store (close() closes it), not the embedder.
 */
export class MaxSimRetriever implements TimedRetriever {
  readonly id = 'maxsim';
  readonly params: MaxSimParams;
  readonly bm25: Bm25Retriever;
  private readonly chunks = new Map<string, Chunk>();
  /** Store record id -> the chunk it is a sentence of. */
  private readonly parent = new Map<string, string>();

  constructor(
    readonly embedder: Embedder,
    readonly store: VectorIndex,
    private readonly options: MaxSimOptions = {},
  ) {
    if (embedder.dimensions !== store.dimensions) {
      throw new Error(`maxsim: embedder ${embedder.id} makes ${embedder.dimensions}-d vectors but store ${store.id} holds ${store.dimensions}`);
    }
    this.params = resolveMaxSimOptions(options);
    this.bm25 = new Bm25Retriever(options.bm25);
  }

  async index(chunks: readonly Chunk[]): Promise<void> {
    await this.bm25.index(chunks);
    const records = chunks.flatMap((c) => chunkSentences(c).map((s) => ({ ...s, chunk: c })));
    const { batchSize } = this.params;
    for (let i = 0; i < records.length; i += batchSize) {
      const batch = records.slice(i, i + batchSize);
      const vectors = await this.embedder.embedDocuments(batch.map((r) => embeddingText(r.text)));
      await this.store.upsert(
        batch.map((r, j) => ({
          id: r.id,
          vector: vectors[j] as Float32Array,
          metadata: { documentId: r.chunk.docId, chunkId: r.chunkId, text: r.text },
        })),
      );
      for (const r of batch) this.parent.set(r.id, r.chunkId);
      this.options.onProgress?.(i + batch.length, records.length);
    }
    for (const c of chunks) this.chunks.set(c.id, c);
  }

  /** Each chunk's best sentence among the nearest ones, best first. */
  private async denseChunks(vector: Float32Array): Promise<FusedHit[]> {
    const best = new Map<string, number>();
    for (const h of await this.store.query(vector, this.params.sentenceCandidates)) {
      const chunkId = this.parent.get(h.id);
      // Hits come best first, so the first sentence seen of a chunk is its best.
      if (chunkId !== undefined && !best.has(chunkId)) best.set(chunkId, h.score);
    }
    return [...best].map(([id, score]) => ({ id, score }));
  }

  async searchTimed(query: string, k: number): Promise<TimedSearch> {
    assertK(this.id, k);
    const t0 = performance.now();
    const vector = await this.embedder.embedQuery(embeddingText(query));
    const t1 = performance.now();
    const { denseWeight, bm25Weight, candidates } = this.params;
    const lexical = await this.bm25.search(query, Math.max(k, candidates));
    const lists = [
      { hits: await this.denseChunks(vector), weight: denseWeight },
      { hits: lexical.map((s) => ({ id: s.chunk.id, score: s.score })), weight: bm25Weight },
    ];
    // A list of weight 0 would still add its chunks, at score 0, tied with the other list's last.
    const fused = convexCombination(lists.filter((l) => l.weight > 0));
    const chunks: ScoredChunk[] = [];
    for (const h of fused.slice(0, k)) {
      const chunk = this.chunks.get(h.id);
      if (chunk) chunks.push({ chunk, score: h.score });
    }
    return { chunks, embedMs: t1 - t0, searchMs: performance.now() - t1 };
  }

  async search(query: string, k: number): Promise<ScoredChunk[]> {
    return (await this.searchTimed(query, k)).chunks;
  }

  async close(): Promise<void> {
    this.chunks.clear();
    this.parent.clear();
    await this.bm25.close();
    await this.store.close();
  }
}
