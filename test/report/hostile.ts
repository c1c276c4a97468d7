import type { QueryRecord, RunResult, Summary } from '../../src/summary/schema.ts';
import { makeQuery, makeRun, makeSummary } from '../gate/fixtures.ts';

/**
 * Text a PDF could carry: each payload would set window.__pwned (or raise an alert) if the
 * report ever let it become markup or script.
 */
export const PAYLOADS = [
  '</script><script>window.__pwned = 1; alert(1)</script>',
  '<img src=x onerror="window.__pwned = 2; alert(2)">',
  '<!--<script>window.__pwned = 3</script>-->',
  '"><svg onload="window.__pwned = 4">',
  "'; window.__pwned = 5; //",
  '\u2028\u2029<b>bold?</b> & &amp; &lt;script&gt;',
];

/** An errored run measures nothing. */
function erroredRun(id: string, error: string): RunResult {
  // Run names come from the suite file: as untrusted as any other text.
  const { accuracy: _a, latency: _l, ingest: _i, memory: _m, ...bare } = makeRun(id, { name: id, status: 'errored', error });
  return bare;
}

/** A summary with several configurations and a question set whose text is hostile. */
export function hostileSummary(): Summary {
  const runs = [
    makeRun('mupdf-sentence-faiss', { routing: [{ doc: PAYLOADS[1] as string, extractor: 'mupdf', reason: `text layer; ${PAYLOADS[0]}` }] }),
    makeRun('pdfjs-fixed-faiss', {
      config: { extractor: 'pdfjs', chunker: 'fixed', embedder: 'use-lite', store: 'faiss-flat', retriever: 'dense' },
      accuracy: { citationAccuracy: 0.97, semanticAccuracy: 0.9, ndcgAt10: 0.7, recallAt5: 0.8 },
      latency: { p50Ms: 25, p95Ms: 52, p99Ms: 70, roundP95Ms: [50, 52, 55] },
      ingest: { pagesPerSecond: 4, chunksPerSecond: 30 },
    }),
    makeRun('bm25', {
      config: { extractor: 'mupdf', chunker: 'sentence', embedder: 'none', store: 'none', retriever: 'bm25' },
      accuracy: { citationAccuracy: 0.999, semanticAccuracy: 0.97, ndcgAt10: 0.86, recallAt5: 0.93 },
      latency: { p50Ms: 1.1, p95Ms: 2.4, p99Ms: 3.9, roundP95Ms: [2.3, 2.4, 2.6] },
    }),
    makeRun('hybrid-hnsw', {
      config: { extractor: 'router', chunker: 'semantic', embedder: 'use-lite', store: 'faiss-hnsw', retriever: 'hybrid' },
      accuracy: { citationAccuracy: 0.992, semanticAccuracy: 0.975, ndcgAt10: 0.88, recallAt5: 0.95 },
      latency: { p50Ms: 30, p95Ms: 61, p99Ms: 80, roundP95Ms: [58, 61, 66] },
      ingest: { pagesPerSecond: 8, chunksPerSecond: 20 },
      routing: [
        { doc: 'doc-a', extractor: 'mupdf', reason: 'text layer on every page, single column' },
        { doc: PAYLOADS[1] as string, extractor: 'pdfjs', reason: 'two-column layout detected on 4 of 6 pages' },
      ],
    }),
    erroredRun(`errored <script>window.__pwned = 6</script>`, `chunker crashed: ${PAYLOADS[0]}`),
  ];
  return makeSummary(runs, {
    suite: { name: `hostile ${PAYLOADS[3]}`, file: 'suites/none.yml', tuned: [{ parameter: `retriever.denseWeight ${PAYLOADS[2]}`, value: PAYLOADS[0], source: `ragbench tune ${PAYLOADS[1]}` }] },
    versions: { ragbench: '0.1.0', mupdf: PAYLOADS[0] as string },
  });
}

export function hostileQueries(summary: Summary, perRun = 60): QueryRecord[] {
  const out: QueryRecord[] = [];
  for (const run of summary.runs.filter((r) => r.status === 'completed')) {
    for (let i = 0; i < perRun; i++) {
      const payload = PAYLOADS[i % PAYLOADS.length] as string;
      const fails = (i + run.id.length) % 4 === 0;
      const quote = `Intro ${payload} the answer is Paris in this passage. ${i % 3 === 0 ? 'x'.repeat(2000) : ''}`;
      out.push(
        makeQuery(run.id, `q${String(i).padStart(4, '0')}`, {
          question: `Question ${i}: ${payload} where is the capital?`,
          answers: ['Paris', payload],
          evidence: [{ doc: `doc ${payload}`, page: 3, pageEnd: 4, text: `Evidence: ${payload} — PARIS is the capital.` }],
          hits: [1, 2, 3].map((rank) => ({
            rank,
            score: 1 / rank,
            chunkId: `c${rank}`,
            citation: { doc: `doc ${payload}`, page: rank, pageEnd: rank + (rank === 3 ? 1 : 0), charStart: 0, charEnd: 10, quote },
            relevant: rank === 1,
            containsAnswer: rank !== 2,
            citationVerified: !(fails && rank === 3),
          })),
          metrics: { semantic: fails ? 0 : 1, citation: fails ? 0.67 : 1, ndcgAt10: fails ? 0.3 : 1 },
          failed: fails ? ['semantic', 'citation'] : [],
          answerCitation: fails ? { rank: 1, correct: false, reason: `cites the wrong page: ${payload}` } : { rank: 1, correct: true },
        }),
      );
    }
  }
  return out;
}
