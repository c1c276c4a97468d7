/**
 * Blames one failed question on one stage. Checked from the end of the pipeline back, which
 * gives the order extraction, chunking, retrieval its meaning: a stage is blamed only when
 * every stage before it did its part.
 */
import type { JudgedQuestion, RelevanceJudge } from '../../evaluate/relevance.ts';
import type { ChunkIndex } from './chunk-index.ts';
import type { LossStage } from './schema.ts';

/**
 * - retrieval: some chunk of the run supports the question (relevance's rule), but none is in the top k;
 * - chunking: a gold answer occurs inside a located evidence passage of the extraction, but no
 *   chunk contains a whole occurrence (it is split across chunks, or no chunk covers it);
 * - extraction: no evidence passage is found verbatim with a gold answer inside it (the
 *   extractor lost, garbled or reordered the text), and no chunk supports it fuzzily either.
 */
export function lossStage(q: JudgedQuestion, judge: RelevanceJudge, chunks: ChunkIndex): LossStage {
  if (chunks.anySupports(q, judge)) return 'retrieval';
  const answerInExtraction = judge.passages(q).some((p) => p.span !== null && p.occurrences.length > 0);
  return answerInExtraction ? 'chunking' : 'extraction';
}
