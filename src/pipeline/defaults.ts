/**
 * The pipeline ragbench ships: what `ragbench serve`, `ragbench ingest` and `ragbench query` use
 * when no stage is named, and the candidate of the default suite (suites/default.yml, run
 * `maxsim`). Paragraphs as the layout-aware extractor laid them out (joined across page breaks,
 * capped at the 1,000-character citation quote), ranked by BM25 fused with the USE-lite cosine of
 * each paragraph's best-matching sentence. Its weights, sentence depth and page joining were chosen
 * by `ragbench tune` on the dev split; on the test split it beats BM25 (docs/retrieval.md).
 * Change it together with suites/default.yml, whose `tuned:` block says where each value came from.
 */
export const DEFAULT_PIPELINE = {
  extractor: 'router',
  chunker: { name: 'paragraph', joinPages: true, maxChars: 1000 },
  retriever: { name: 'maxsim', denseWeight: 0.4, bm25Weight: 0.6, sentenceCandidates: 300 },
  embedder: 'use-lite',
  store: 'faiss-flat',
} as const;
