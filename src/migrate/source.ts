import { Pipeline } from '../pipeline/pipeline.ts';
import { findPdfs } from '../pipeline/sources.ts';
import type { Component } from '../suite/schema.ts';

export interface DiskIndexOptions {
  /** PDFs or folders of PDFs, e.g. golden/squad-dev/docs. */
  docs: readonly string[];
  /** Where the FAISS index is saved. */
  dir: string;
  store?: 'faiss-flat' | 'faiss-hnsw';
  chunker?: Component;
  embedder?: Component;
  cacheDir?: string;
}

/**
 * Ingests PDFs into a FAISS index saved on disk — what `ragbench ingest --store '{name:
 * faiss-flat, dir: …}'` leaves — as the source of a migration. Returns how many chunks it holds.
 */
export async function ingestToDisk(options: DiskIndexOptions): Promise<{ chunks: number; documents: number }> {
  const pipeline = await Pipeline.create({
    extractor: 'router',
    chunker: options.chunker ?? 'sentence',
    retriever: 'dense',
    embedder: options.embedder ?? 'use-lite',
    store: { name: options.store ?? 'faiss-flat', dir: options.dir },
    ...(options.cacheDir !== undefined && { cacheDir: options.cacheDir }),
  });
  try {
    const report = await pipeline.ingest(await findPdfs([...options.docs]));
    return { chunks: (await pipeline.store?.count()) ?? 0, documents: report.documents.length };
  } finally {
    await pipeline.close(); // saves the index
  }
}
