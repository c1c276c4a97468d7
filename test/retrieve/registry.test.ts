import { describe, expect, it } from 'vitest';
import { UseLiteEmbedder } from '../../src/embed/use-lite.ts';
import { Bm25Retriever } from '../../src/retrieve/bm25.ts';
import { DenseRetriever } from '../../src/retrieve/dense.ts';
import { HybridRetriever } from '../../src/retrieve/hybrid.ts';
import { createRetriever, retrieverNames } from '../../src/retrieve/registry.ts';
import { ExactStore } from '../../src/store/exact.ts';
import { InputError } from '../../src/util/errors.ts';

// Creating an embedder does not load its model.
const deps = { embedder: new UseLiteEmbedder(), store: new ExactStore(512) };

describe('retriever registry', () => {
  it('lists dense, bm25, hybrid and maxsim', () => {
    expect(retrieverNames()).toEqual(['dense', 'bm25', 'hybrid', 'maxsim']);
  });

  it('creates BM25 with its parameters and no embedder or store', () => {
    const r = createRetriever('bm25', {}, { k1: 0.9, b: 0.4, denseWeight: 3 });
    expect(r).toBeInstanceOf(Bm25Retriever);
    expect((r as Bm25Retriever).params).toEqual({ k1: 0.9, b: 0.4 });
    expect((createRetriever('bm25') as Bm25Retriever).params).toEqual({ k1: 1.2, b: 0.75 });
  });

  it('creates dense retrieval over the given embedder and store', () => {
    const r = createRetriever('dense', deps, { batchSize: 8 });
    expect(r).toBeInstanceOf(DenseRetriever);
    expect((r as DenseRetriever).store).toBe(deps.store);
    expect((r as DenseRetriever).embedder).toBe(deps.embedder);
  });

  it('passes fusion settings and BM25 parameters to hybrid', () => {
    const r = createRetriever('hybrid', deps, { fusion: 'convex', denseWeight: 0.3, bm25Weight: 0.7, k1: 1.5, candidates: 20 });
    expect(r).toBeInstanceOf(HybridRetriever);
    const h = r as HybridRetriever;
    expect(h.params).toEqual({ fusion: 'convex', denseWeight: 0.3, bm25Weight: 0.7, rrfK: 60, candidates: 20 });
    expect(h.bm25.params).toEqual({ k1: 1.5, b: 0.75 });
    expect((createRetriever('hybrid', deps) as HybridRetriever).params.fusion).toBe('rrf');
  });

  it('says what dense retrieval lacks, and lists the known names for an unknown one', () => {
    expect(() => createRetriever('dense', { store: deps.store })).toThrow('retriever "dense" needs an embedder and a vector store');
    expect(() => createRetriever('hybrid', { embedder: deps.embedder })).toThrow('retriever "hybrid" needs an embedder and a vector store');
    expect(() => createRetriever('splade')).toThrow(InputError);
    expect(() => createRetriever('splade')).toThrow('unknown retriever "splade"; known: dense, bm25, hybrid, maxsim');
  });
});
