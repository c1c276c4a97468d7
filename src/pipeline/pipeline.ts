import type { Chunk, Chunker } from '../chunk/types.ts';
import { CachedEmbedder, DEFAULT_CACHE_DIR } from '../embed/cache.ts';
import { createEmbedder } from '../embed/registry.ts';
import type { Embedder } from '../embed/types.ts';
import { createExtractor } from '../extract/registry.ts';
import { ExtractionError, type Extractor, type RouteChoice } from '../extract/types.ts';
import { pageAt } from '../extract/pages.ts';
import { toHits } from '../retrieve/citations.ts';
import type { TimedRetriever } from '../retrieve/timing.ts';
import type { Hit } from '../retrieve/types.ts';
import { resolveComponent, type ResolvedRun } from '../suite/matrix.ts';
import { DEFAULT_RUN, type Component } from '../suite/schema.ts';
import { buildRetriever, needsEmbedder, optionsOf } from './assemble.ts';
import { createChunker } from '../chunk/registry.ts';

export interface PipelineConfig {
  extractor?: Component;
  chunker?: Component;
  retriever?: Component;
  embedder?: Component;
  store?: Component;
  /** Embedding cache folder (default `.cache/embeddings`). */
  cacheDir?: string;
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
      const model = createEmbedder(run.embedder.name, optionsOf(run.embedder));
      embedder = new CachedEmbedder(model, { dir: config.cacheDir ?? DEFAULT_CACHE_DIR });
    }
    const chunker = createChunker(run.chunker, embedder ? { embedder } : {});
    const retriever = await buildRetriever(run, embedder);
    return new Pipeline(run, createExtractor(run.extractor.name), chunker, retriever);
  }

  /** Extracts, chunks and indexes PDFs. A bad PDF is reported in `failed`; the rest go in. */
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
    await this.retriever.index(chunks);
    return report;
  }

  /** The k best chunks for a question, each with its citation (document, pages, offsets, quote). */
  async query(text: string, k = 5): Promise<Hit[]> {
    const { chunks } = await this.retriever.searchTimed(text, k);
    const pageOf = (docId: string, offset: number): number => pageAt({ pageStarts: this.pageStarts.get(docId) ?? [0] }, offset);
    return toHits(chunks, { query: text, pageOf });
  }

  async close(): Promise<void> {
    await this.retriever.close();
    await this.extractor.close?.();
  }
}
