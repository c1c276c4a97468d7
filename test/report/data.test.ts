import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/gate/evaluate.ts';
import { buildReportData } from '../../src/report/data.ts';
import { answerMarks, clip, mergeMarks } from '../../src/report/highlight.ts';
import { paretoFront } from '../../src/report/pareto.ts';
import { parseQueries } from '../../src/report/queries.ts';
import { InputError } from '../../src/util/errors.ts';
import { makeQuery, makeRun, makeSummary } from '../gate/fixtures.ts';

const cut = (text: string, marks: [number, number][]) => marks.map(([a, b]) => text.slice(a, b));

describe('answer highlighting', () => {
  it('finds every occurrence, across case, typographic quotes, dashes and whitespace', () => {
    const text = 'PARIS is big. “Rock–n–roll” in  Paris.\nAlso paris.';
    expect(cut(text, answerMarks(text, ['Paris']))).toEqual(['PARIS', 'Paris', 'paris']);
    expect(cut(text, answerMarks(text, ['"rock-n-roll"']))).toEqual(['“Rock–n–roll”']);
    expect(cut(text, answerMarks(text, ['in Paris']))).toEqual(['in  Paris']);
  });

  it('matches an answer broken by a hyphen at a line end', () => {
    const text = 'the impor-\ntant part';
    expect(cut(text, answerMarks(text, ['important']))).toEqual(['impor-\ntant']);
  });

  it('marks answers on token boundaries only, as the metrics match them', () => {
    const text = 'It happens often: ten times, not tenfold. P. Paris';
    expect(cut(text, answerMarks(text, ['ten']))).toEqual(['ten']);
    expect(cut(text, answerMarks(text, ['P']))).toEqual(['P']);
    // An answer that starts or ends with punctuation needs no boundary on that side.
    expect(cut('x<script>y', answerMarks('x<script>y', ['<script>']))).toEqual(['<script>']);
  });

  it('merges overlapping answers and ignores empty ones', () => {
    const text = 'New York City';
    expect(answerMarks(text, ['New York', 'York City', ''])).toEqual([[0, 13]]);
    expect(mergeMarks([[5, 8], [0, 2], [1, 3], [8, 9]])).toEqual([[0, 3], [5, 9]]);
    expect(answerMarks('nothing here', ['absent'])).toEqual([]);
  });

  it('clips long text and keeps the marks that still fit', () => {
    expect(clip('abcdefghij', [[1, 3], [4, 8], [9, 10]], 6)).toEqual({ text: 'abcdef', marks: [[1, 3], [4, 6]], clipped: true });
    expect(clip('abc', [[0, 1]], 6)).toEqual({ text: 'abc', marks: [[0, 1]], clipped: false });
  });
});

describe('Pareto front', () => {
  it('keeps the configurations nothing beats on both latency and accuracy, sorted by latency', () => {
    const pts = [
      { id: 'fast-poor', x: 2, y: 0.6 },
      { id: 'slow-best', x: 60, y: 0.95 },
      { id: 'mid', x: 30, y: 0.9 },
      { id: 'dominated', x: 40, y: 0.85 },
      { id: 'tie-slower', x: 31, y: 0.9 },
    ];
    expect(paretoFront(pts).map((p) => p.id)).toEqual(['fast-poor', 'mid', 'slow-best']);
    expect(paretoFront([])).toEqual([]);
    // Identical points do not dominate each other.
    expect(paretoFront([{ id: 'a', x: 1, y: 1 }, { id: 'b', x: 1, y: 1 }]).map((p) => p.id)).toEqual(['a', 'b']);
  });
});

describe('report data', () => {
  const summary = makeSummary([
    makeRun('a', { ingest: { pagesPerSecond: 10, chunksPerSecond: 50 } }),
    makeRun('b', { ingest: { pagesPerSecond: 20, chunksPerSecond: 70 }, latency: { p95Ms: 10 }, accuracy: { semanticAccuracy: 0.97 } }),
    makeRun('c', { config: { extractor: 'pdfjs', chunker: 'fixed', embedder: 'none', store: 'none', retriever: 'bm25' } }),
  ]);
  const queries = [
    makeQuery('a', 'q1'),
    makeQuery('b', 'q1', { failed: ['semantic'] }),
    makeQuery('a', 'q2', { failed: ['semantic', 'citation'] }),
    makeQuery('b', 'q2'),
  ];
  const data = buildReportData({ summary, queries, verdict: evaluateGate(summary), verdictSource: 'defaults' });

  it('stores each question once and puts failures first, most failures first', () => {
    expect(Object.keys(data.questions)).toEqual(['q1', 'q2']);
    expect(data.records.map((r) => `${r.run}/${r.question}`)).toEqual(['a/q2', 'b/q1', 'a/q1', 'b/q2']);
    expect(data.failedMetrics).toEqual(['citation', 'semantic']);
    expect(data.questions.q1?.evidence[0]?.marks).toEqual([[25, 30]]);
    expect(data.records[0]?.hits[0]).toMatchObject({ doc: 'doc-a', page: 2, pageEnd: 2, marks: [[25, 30]], clipped: false });
  });

  it('stores each distinct text once', () => {
    // Four records, each with the same evidence and the same one-hit quote.
    expect(data.texts).toEqual(['The capital of France is Paris, a large city.']);
    expect(new Set(data.records.map((r) => r.hits[0]?.t))).toEqual(new Set([0]));
  });

  it('groups ingest throughput by extractor / chunker (mean over runs)', () => {
    expect(data.ingest).toEqual([
      { label: 'mupdf / sentence', runs: ['a', 'b'], pagesPerSecond: 15, chunksPerSecond: 60, embeddingsPerSecond: 60, embeddingSource: 'model' },
      { label: 'pdfjs / fixed', runs: ['c'], pagesPerSecond: 10, chunksPerSecond: 60, embeddingsPerSecond: 60, embeddingSource: 'model' },
    ]);
  });

  it('computes the Pareto front on semantic accuracy vs p95 latency', () => {
    expect(data.pareto).toEqual({ metric: 'accuracy.semanticAccuracy', cost: 'latency.p95Ms', front: ['b'] });
  });

  it('lists only measured metrics as table columns', () => {
    const paths = data.columns.map((c) => c.path);
    expect(paths).toContain('latency.p95Ms');
    expect(paths).toContain('ingest.failed');
    expect(paths).not.toContain('cache.hitP95Ms');
    expect(data.runs[0]?.metrics['cache.hitP95Ms']).toBeNull();
  });

  it('gives every metric delta against a baseline with its direction', () => {
    const baseline = makeSummary([makeRun('a', { latency: { p95Ms: 50 }, accuracy: { semanticAccuracy: 0.9 } }), makeRun('gone')]);
    const d = buildReportData({ summary, queries: [], verdict: evaluateGate(summary), verdictSource: 'x', baseline });
    const byMetric = Object.fromEntries((d.baseline?.deltas ?? []).map((x) => [x.metric, x]));
    expect(new Set(d.baseline?.deltas.map((x) => x.run))).toEqual(new Set(['a']));
    expect(byMetric['latency.p95Ms']).toMatchObject({ baseline: 50, value: 40, delta: -10, relative: -0.2, direction: 'better' });
    expect(byMetric['accuracy.semanticAccuracy']?.direction).toBe('better');
    expect(byMetric['accuracy.semanticAccuracy']?.delta).toBeCloseTo(0.06, 12);
    expect(byMetric['accuracy.citationAccuracy']?.direction).toBe('same');
    expect(byMetric['ingest.pages']?.direction).toBeNull();
  });

  it('clips very long quotes so that thousands of questions stay a reasonable file', () => {
    const long = `${'x'.repeat(1490)} Paris ${'y'.repeat(3000)}`;
    const q = makeQuery('a', 'q9', { hits: [{ ...makeQuery('a', 'q').hits[0]!, citation: { ...makeQuery('a', 'q').hits[0]!.citation, quote: long } }] });
    const d = buildReportData({ summary, queries: [q], verdict: evaluateGate(summary), verdictSource: 'x' });
    const hit = d.records[0]?.hits[0];
    expect(d.texts[hit?.t as number]).toHaveLength(1500);
    expect(hit?.clipped).toBe(true);
    expect(hit?.marks).toEqual([[1491, 1496]]);
  });

  it('warns about records of runs the summary does not have', () => {
    const d = buildReportData({ summary, queries: [makeQuery('ghost', 'q1')], verdict: evaluateGate(summary), verdictSource: 'x' });
    expect(d.warnings).toEqual(['queries.jsonl has records of runs not in summary.json: ghost']);
  });
});

describe('queries.jsonl', () => {
  it('parses one record a line, skipping blank lines', () => {
    const text = `${JSON.stringify(makeQuery('a', 'q1'))}\n\n${JSON.stringify(makeQuery('a', 'q2'))}\n`;
    expect(parseQueries(text, 'q.jsonl').map((q) => q.questionId)).toEqual(['q1', 'q2']);
  });

  it('names file, line and field of a bad record', () => {
    const bad = `${JSON.stringify(makeQuery('a', 'q1'))}\n{"run": 1}\n`;
    expect(() => parseQueries(bad, 'q.jsonl')).toThrow(InputError);
    expect(() => parseQueries(bad, 'q.jsonl')).toThrow(/^q\.jsonl:2: run: Invalid input: expected string, received number/);
    expect(() => parseQueries('{oops', 'q.jsonl')).toThrow(/^q\.jsonl:1: not valid JSON/);
  });
});

describe('report data from summary v2', () => {
  const ids = ['q0', 'q1', 'q2', 'q3', 'q4', 'q5'];
  const sample = { split: 'test' as const, method: 'even' as const, seed: null, size: 6, answerable: 5, unanswerable: 1, shortAnswers: 1, ids };
  const long = 'extractor=router chunker={name: sentence, n: 5, overlap: 1} embedder=use-lite store=faiss-flat retriever=dense';
  const summary = makeSummary(
    [
      makeRun(long, {
        name: 'router·sentence',
        accuracy: { semanticAccuracy: 0.8, noAnswerAuroc: 0.55, intervals: { semanticAccuracy: { low: 0.6, high: 0.95 }, noAnswerAuroc: { low: 0.4, high: 0.7 } } },
        perQuestion: { semanticAccuracy: [1, 1, 1, 0, 1, null] },
        ingest: { embeddingSource: 'cache' },
        memory: { peakRssBytes: 2 ** 30, scope: 'run' },
      }),
      makeRun('bm25-long-id', { name: 'bm25', perQuestion: { semanticAccuracy: [0, 0, 1, 0, 1, null] }, ingest: { embeddingSource: 'none' } }),
      makeRun('short-arrays', { name: 'broken', perQuestion: { semanticAccuracy: [1, 0] } }),
      makeRun('stopped', { name: 'stopped', status: 'interrupted' }),
    ],
    { golden: { name: 'mini', path: 'x', documents: 1, questions: 10, answerable: 8, sample }, suite: { name: 's', file: 's.yml', candidate: 'router·sentence', deployed: 'nobody' } },
  );
  const data = buildReportData({ summary, queries: [], verdict: evaluateGate(summary), verdictSource: 'x' });
  const run = data.runs[0]!;

  it('keeps each run short name, full id and configuration, and marks the candidate', () => {
    expect(data.runs.map((r) => [r.name, r.role, r.status])).toEqual([
      ['router·sentence', 'candidate', 'completed'],
      ['bm25', null, 'completed'],
      ['broken', null, 'completed'],
      ['stopped', null, 'interrupted'],
    ]);
    expect(run.id).toBe(long);
    expect(run.config.extractor).toBe('mupdf');
    expect(data.warnings).toContain('suite names run "nobody" as deployed, but no run has that name');
  });

  it('keys intervals by metric path and carries no-answer AUROC, ingest source and memory scope', () => {
    expect(run.intervals).toEqual({ 'accuracy.semanticAccuracy': { low: 0.6, high: 0.95 }, 'accuracy.noAnswerAuroc': { low: 0.4, high: 0.7 } });
    expect(run.metrics['accuracy.noAnswerAuroc']).toBe(0.55);
    expect(run.embeddingSource).toBe('cache');
    expect(run.memoryScope).toBe('run');
    // The mupdf / sentence group also holds runs whose embeddings the model computed.
    expect(data.ingest[0]?.embeddingSource).toBe('mixed');
    const cachedOnly = makeSummary([makeRun('x', { ingest: { embeddingSource: 'cache' } }), makeRun('y', { ingest: { embeddingSource: 'none' } })]);
    expect(buildReportData({ summary: cachedOnly, queries: [], verdict: evaluateGate(cachedOnly), verdictSource: 'x' }).ingest[0]?.embeddingSource).toBe('cache');
  });

  it('shows answer-citation and citation counts inside their ratios, not as columns', () => {
    const paths = data.columns.map((c) => c.path);
    expect(paths.slice(0, 3)).toEqual(['accuracy.citationAccuracy', 'accuracy.citationFaithfulness', 'accuracy.semanticAccuracy']);
    expect(paths).toContain('accuracy.noAnswerAuroc');
    expect(paths).not.toContain('accuracy.answerCitations');
    expect(data.metrics['accuracy.citationAccuracy']?.counts).toEqual(['accuracy.answerCitationsCorrect', 'accuracy.answerCitations']);
    expect(run.metrics['accuracy.answerCitations']).toBe(190);
    expect(run.metrics['accuracy.answerCitationsCorrect']).toBe(189);
  });

  it('pairs runs question by question: who is right where the other is wrong, with the exact McNemar p', () => {
    expect(data.pairs).toEqual([
      { metric: 'semanticAccuracy', first: long, second: 'bm25-long-id', onlyFirst: [0, 1], onlySecond: [], bothRight: 2, bothWrong: 1, skipped: 1, pValue: 0.5 },
    ]);
    expect(data.warnings).toContain('run broken: perQuestion.semanticAccuracy has 2 values for 6 sample questions (golden.sample.ids); it is left out of the paired comparison');
  });

  it('keeps the answer citation, its reason and the top-1 score of each record', () => {
    const q = makeQuery(long, 'q0', { answerCitation: { rank: 1, correct: false, reason: 'cites page 3; the answer is on page 2' }, topScore: 0.912345 });
    const d = buildReportData({ summary, queries: [q], verdict: evaluateGate(summary), verdictSource: 'x' });
    expect(d.records[0]).toMatchObject({ answerCitation: { rank: 1, correct: false, reason: 'cites page 3; the answer is on page 2' }, topScore: 0.9123 });
  });

  it('marks no text of a hit that holds no answer, and orders texts by their place in the document', () => {
    const hit = makeQuery('a', 'q').hits[0]!;
    const at = (charStart: number, quote: string, containsAnswer = true) => ({ ...hit, containsAnswer, citation: { ...hit.citation, charStart, quote } });
    const q = makeQuery(long, 'q0', { evidence: [], hits: [at(900, 'later Paris'), at(10, 'early Paris', false), at(500, 'middle')] });
    const d = buildReportData({ summary, queries: [q], verdict: evaluateGate(summary), verdictSource: 'x' });
    expect(d.texts).toEqual(['early Paris', 'middle', 'later Paris']);
    expect(d.records[0]?.hits.map((h) => [d.texts[h.t], h.marks])).toEqual([
      ['later Paris', [[6, 11]]],
      ['early Paris', []],
      ['middle', []],
    ]);
  });
});
