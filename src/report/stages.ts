import type { Interval, RunResult, Summary } from '../summary/schema.ts';

/**
 * The report's stage table (docs/stage-evaluation.md): for each run, which stage its failed
 * questions are blamed on, and how its retrieved chunks cover the evidence — the table a team
 * reads to know which stage to fix. Per-question arrays stay in summary.json.
 */
export interface StageRow {
  run: string;
  name: string;
  semanticAccuracy: number | null;
  answerable: number;
  failed: number;
  extraction: number;
  chunking: number;
  retrieval: number;
  tokenPrecision: number | null;
  tokenRecall: number | null;
  tokenIou: number | null;
  intervals: Partial<Record<'tokenPrecision' | 'tokenRecall' | 'tokenIou', Interval>>;
  chunks: number;
  chunkCharsP50: number | null;
  cutSentenceShare: number | null;
}

function row(r: RunResult): StageRow | null {
  if (!r.loss || !r.chunking) return null;
  const q = r.chunking.quality;
  return {
    run: r.id,
    name: r.name,
    semanticAccuracy: r.accuracy?.semanticAccuracy ?? null,
    answerable: r.loss.answerable,
    failed: r.loss.failed,
    extraction: r.loss.stages.extraction.questions,
    chunking: r.loss.stages.chunking.questions,
    retrieval: r.loss.stages.retrieval.questions,
    tokenPrecision: q.tokenPrecision,
    tokenRecall: q.tokenRecall,
    tokenIou: q.tokenIou,
    intervals: q.intervals ?? {},
    chunks: r.chunking.shape.chunks,
    chunkCharsP50: r.chunking.shape.chars?.p50 ?? null,
    cutSentenceShare: r.chunking.shape.cutSentenceShare,
  };
}

export function stagesSection(summary: Summary): { rows: StageRow[] } | null {
  const rows = summary.runs.map(row).filter((r): r is StageRow => r !== null);
  return rows.length > 0 ? { rows } : null;
}
