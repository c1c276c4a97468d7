import type { Chunk, Chunker } from '../chunk/types.ts';
import { CachedEmbedder, DEFAULT_CACHE_DIR } from '../embed/cache.ts';
import { createEmbedder, createPooledEmbedder } from '../embed/registry.ts';
import type { Embedder } from '../embed/types.ts';
import { createExtractor } from '../extract/registry.ts';
import { ExtractionError, type Extractor, type RouteChoice } from '../extract/types.ts';
import { pageAt } from '../extract/pages.ts';
import { toHits } from '../retrieve/citations.ts';
import type { TimedRetriever } from '../retrieve/timing.ts';
import type { Hit } from '../retrieve/types.ts';
import { resolveComponent, type ResolvedRun } from '../suite/matrix.ts';
import { DEFAULT_RUN, type Component } from '../suite/schema.ts';
import { buildRetriever, needsEmbedder, optionsOf, storeOf } from './assemble.ts';
import type { VectorIndex } from '../store/types.ts';
import { createChunker } from '../chunk/registry.ts';

export interface PipelineConfig {
  extractor?: Component;
  chunker?: Component;
  retriever?: Component;
  embedder?: Component;
  store?: Component;
  /** Embedding cache folder (default `.cache/embeddings`). */
  cacheDir?: string;
  /** Wraps the (disk-cached) embedder, e.g. so a service can cache query vectors in memory. */
  wrapEmbedder?: (embedder: Embedder) => Embedder;
  /** Embed documents and queries in this many worker threads (0: in this thread). */
  embedWorkers?: number;
}

/** What `queryTimed` filters on: only hits from these documents. */
export interface QueryFilters {
  documents?: readonly string[];
}

/** One query's hits and where its time went (the service's stage timings and trace spans). */
export interface TimedQuery {
  hits: Hit[];
  /** Embedding the query. */
  embedMs: number;
  /** Index lookups (vector store, BM25, fusion). */
  searchMs: number;
  /** Ranking the chunks into cited hits (and dropping filtered ones). */
  mergeMs: number;
  /** The index version the answer was computed on. */
  indexVersion: number;
}

export interface SourceDocument {
  id: string;
  file: string;
}

export interface IngestedDocument extends SourceDocument {
  extractor: string;
  pages: number;
  chunks: number;
  warnings: string[];
  route?: RouteChoice;
}

export interface IngestReport {
  documents: IngestedDocument[];
  failed: { file: string; reason: string }[];
}

/**
 * The library API: one configured pipeline (extract → chunk → embed → store) that ingests
 * PDFs and answers queries with cited hits. The CLI's `ingest` and `query` are thin layers on it.
 */
export class Pipeline {
  /** Page starts of every ingested document, so citations of long chunks name their own pages. */
  private readonly pageStarts = new Map<string, number[]>();
  /** Chunk ids of each ingested document: a re-ingest replaces them. */
  private readonly chunkIds = new Map<string, Set<string>>();
  /**
   * Chunks of replaced document versions that a retriever may still hold (BM25 cannot
   * delete): queries skip them. The vector store deletes them outright.
   */
  private readonly stale = new Set<string>();
  private version = 0;

  private constructor(
    readonly config: ResolvedRun,
    private readonly extractor: Extractor,
    private readonly chunker: Chunker,
    private readonly retriever: TimedRetriever,
  ) {}

  static async create(config: PipelineConfig = {}): Promise<Pipeline> {
    const run: ResolvedRun = {
      extractor: resolveComponent(config.extractor ?? DEFAULT_RUN.extractor),
      chunker: resolveComponent(config.chunker ?? DEFAULT_RUN.chunker),
      retriever: resolveComponent(config.retriever ?? DEFAULT_RUN.retriever),
      embedder: resolveComponent(config.embedder ?? DEFAULT_RUN.embedder),
      store: resolveComponent(config.store ?? DEFAULT_RUN.store),
    };
    let embedder: Embedder | undefined;
    if (needsEmbedder(run)) {
      const model = config.embedWorkers
        ? createPooledEmbedder(run.embedder.name, optionsOf(run.embedder), { size: config.embedWorkers, queries: 'workers' })
        : createEmbedder(run.embedder.name, optionsOf(run.embedder));
      embedder = new CachedEmbedder(model, { dir: config.cacheDir ?? DEFAULT_CACHE_DIR });
      if (config.wrapEmbedder) embedder = config.wrapEmbedder(embedder);
    }
    const chunker = createChunker(run.chunker, embedder ? { embedder } : {});
    const retriever = await buildRetriever(run, embedder);
    return new Pipeline(run, createExtractor(run.extractor.name), chunker, retriever);
  }

  /** Bumps on every ingest that changes the index: a cache keyed by it never serves an older index. */
  get indexVersion(): number {
    return this.version;
  }

  /** Ids of the documents in the index. */
  documentIds(): string[] {
    return [...this.chunkIds.keys()];
  }

  /** Chunks in the index (current document versions only). */
  get chunkCount(): number {
    let n = 0;
    for (const ids of this.chunkIds.values()) n += ids.size;
    return n;
  }

  /** The vector store behind dense or hybrid retrieval (undefined for BM25). */
  get store(): VectorIndex | undefined {
    return storeOf(this.retriever);
  }

  /** Extracts, chunks and indexes PDFs. A bad PDF is reported in `failed`; the rest go in. A document id ingested before is replaced. */
  async ingest(sources: readonly SourceDocument[], onProgress?: (done: number, total: number) => void): Promise<IngestReport> {
    const report: IngestReport = { documents: [], failed: [] };
    const chunks: Chunk[] = [];
    for (const [i, src] of sources.entries()) {
      try {
        const doc = await this.extractor.extract(src.file, src.id);
        const docChunks = await this.chunker.chunk(doc);
        chunks.push(...docChunks);
        this.pageStarts.set(doc.docId, doc.pageStarts);
        report.documents.push({
          ...src,
          extractor: doc.extractor,
          pages: doc.pages.length,
          chunks: docChunks.length,
          warnings: doc.warnings,
          ...(doc.route && { route: doc.route }),
        });
      } catch (err) {
        if (!(err instanceof ExtractionError)) throw err;
        report.failed.push({ file: err.file, reason: err.reason });
      }
      onProgress?.(i + 1, sources.length);
    }
    if (chunks.length === 0 && report.documents.length === 0) return report;
    await this.retireReplaced(chunks);
    await this.retriever.index(chunks);
    this.version++;
    return report;
  }

  /** Before a re-ingest: the chunks of the old versions that the new ones do not overwrite go. */
  private async retireReplaced(chunks: readonly Chunk[]): Promise<void> {
    const fresh = new Map<string, Set<string>>();
    for (const c of chunks) {
      const ids = fresh.get(c.docId) ?? new Set<string>();
      ids.add(c.id);
      fresh.set(c.docId, ids);
    }
    const retired: string[] = [];
    for (const [docId, ids] of fresh) {
      for (const id of this.chunkIds.get(docId) ?? []) if (!ids.has(id)) retired.push(id);
      for (const id of ids) this.stale.delete(id);
      this.chunkIds.set(docId, ids);
    }
    if (retired.length === 0) return;
    for (const id of retired) this.stale.add(id);
    await this.store?.delete(retired);
  }

  /** The k best chunks for a question, each with its citation (document, pages, offsets, quote). */
  async query(text: string, k = 5): Promise<Hit[]> {
    return (await this.queryTimed(text, k)).hits;
  }

  /**
   * `query` with stage timings, optionally restricted to some documents. Filtering happens
   * after retrieval, so it asks for more candidates (x4 each round) until k survive or the
   * whole index was searched.
   */
  async queryTimed(text: string, k = 5, filters: QueryFilters = {}): Promise<TimedQuery> {
    const indexVersion = this.version;
    const wanted = filters.documents ? new Set(filters.documents) : undefined;
    const total = this.chunkCount + this.stale.size;
    let depth = k + this.stale.size;
    let embedMs = 0;
    let searchMs = 0;
    for (;;) {
      const found = await this.retriever.searchTimed(text, Math.max(1, Math.min(depth, Math.max(total, k))));
      embedMs += found.embedMs;
      searchMs += found.searchMs;
      const t0 = performance.now();
      const kept = found.chunks.filter((s) => !this.stale.has(s.chunk.id) && (!wanted || wanted.has(s.chunk.docId)));
      if (kept.length >= k || depth >= total) {
        const pageOf = (docId: string, offset: number): number => pageAt({ pageStarts: this.pageStarts.get(docId) ?? [0] }, offset);
        const hits = toHits(kept.slice(0, k), { query: text, pageOf });
        return { hits, embedMs, searchMs, mergeMs: performance.now() - t0, indexVersion };
      }
      depth *= 4;
    }
  }

  async close(): Promise<void> {
    await this.retriever.close();
    await this.extractor.close?.();
  }
}
