import { METRICS, readMetric } from '../gate/metrics.ts';
import type { QueryRecord, RunResult, Summary, Verdict } from '../summary/schema.ts';
import { answerMarks, clip, type Mark } from './highlight.ts';
import { paretoFront } from './pareto.ts';

/**
 * Everything the report page shows, as plain data: the page's script only draws it. Gold
 * text (question, answers, evidence) is stored once per question, not once per run.
 */
export interface ReportData {
  schema: 'ragbench-report/1';
  summary: Omit<Summary, 'runs' | 'verdict'>;
  verdict: Verdict;
  /** How the verdict was obtained, e.g. "stored by ragbench run --gate" or "production defaults". */
  verdictSource: string;
  /** Every known metric's label, unit and direction, for formatting. */
  metrics: Record<string, MetricColumn>;
  /** The metrics some run measured: the configurations table's columns. */
  columns: MetricColumn[];
  runs: ReportRun[];
  pareto: { metric: string; cost: string; front: string[] };
  ingest: IngestGroup[];
  baseline?: { runId: string; startedAt: string; deltas: Delta[] };
  questions: Record<string, GoldQuestion>;
  records: ReportRecord[];
  /** Every distinct quote and evidence text once (runs retrieve the same chunks); `t` indexes it. */
  texts: string[];
  /** Every metric some question failed, for the drill-down filter. */
  failedMetrics: string[];
  warnings: string[];
}

export interface MetricColumn {
  path: string;
  label: string;
  unit: string;
  better: 'higher' | 'lower' | null;
}

export interface ReportRun {
  id: string;
  config: RunResult['config'];
  status: RunResult['status'];
  error: string | null;
  /** Metric path -> value, null when not measured. */
  metrics: Record<string, number | null>;
  routing: NonNullable<RunResult['routing']>;
}

export interface IngestGroup {
  label: string;
  runs: string[];
  pagesPerSecond: number;
  chunksPerSecond: number;
  embeddingsPerSecond: number;
}

export interface Delta {
  run: string;
  metric: string;
  baseline: number;
  value: number;
  delta: number;
  /** delta / |baseline|, null when the baseline is 0. */
  relative: number | null;
  /** 'better' | 'worse' | 'same' by the metric's direction; null when it has none. */
  direction: 'better' | 'worse' | 'same' | null;
}

export interface MarkedText {
  /** Index into ReportData.texts. */
  t: number;
  marks: Mark[];
  clipped: boolean;
}

export interface GoldQuestion {
  question: string;
  answerable: boolean;
  answers: string[];
  evidence: (Omit<QueryRecord['evidence'][number], 'text'> & MarkedText)[];
}

export interface ReportHit extends MarkedText {
  rank: number;
  score: number;
  doc: string;
  page: number;
  pageEnd: number;
  relevant: boolean;
  containsAnswer: boolean;
  citationVerified: boolean;
}

export interface ReportRecord {
  run: string;
  question: string;
  failed: string[];
  metrics: Record<string, number>;
  searchMs: number;
  hits: ReportHit[];
}

export interface ReportInput {
  summary: Summary;
  queries: readonly QueryRecord[];
  verdict: Verdict;
  verdictSource: string;
  baseline?: Summary;
}

/** Long quotes are cut in the page so that thousands of questions stay a reasonable file. */
const MAX_TEXT = 1500;

/**
 * Texts stored once, and answer marks computed once per text and answer set: with a dozen
 * runs over the same chunks this saves most of the file and most of the matching time.
 */
class TextTable {
  readonly texts: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly marks = new Map<string, MarkedText>();

  marked(text: string, answers: readonly string[]): MarkedText {
    const key = `${answers.join('\u0000')}\u0001${text}`;
    const known = this.marks.get(key);
    if (known) return known;
    const c = clip(text, answerMarks(text, answers), MAX_TEXT);
    let t = this.index.get(c.text);
    if (t === undefined) {
      t = this.texts.push(c.text) - 1;
      this.index.set(c.text, t);
    }
    const m: MarkedText = { t, marks: c.marks, clipped: c.clipped };
    this.marks.set(key, m);
    return m;
  }
}

const METRIC_COLUMNS: MetricColumn[] = Object.entries(METRICS).map(([path, m]) => ({ path, label: m.label, unit: m.unit, better: m.better ?? null }));

function columnsOf(runs: readonly RunResult[]): MetricColumn[] {
  return METRIC_COLUMNS.filter((c) => runs.some((r) => readMetric(r, c.path) !== undefined));
}

function deltasOf(summary: Summary, baseline: Summary): Delta[] {
  const base = new Map(baseline.runs.map((r) => [r.id, r]));
  const out: Delta[] = [];
  for (const run of summary.runs) {
    const b = base.get(run.id);
    if (!b || b.status !== 'completed' || run.status !== 'completed') continue;
    for (const [metric, info] of Object.entries(METRICS)) {
      const bv = readMetric(b, metric);
      const v = readMetric(run, metric);
      if (bv === undefined || v === undefined) continue;
      const delta = v - bv;
      const sign = Math.sign(delta) * (info.better === 'lower' ? -1 : 1);
      out.push({
        run: run.id,
        metric,
        baseline: bv,
        value: v,
        delta,
        relative: bv === 0 ? null : delta / Math.abs(bv),
        direction: info.better === undefined ? null : sign > 0 ? 'better' : sign < 0 ? 'worse' : 'same',
      });
    }
  }
  return out;
}

function ingestGroups(runs: readonly RunResult[]): IngestGroup[] {
  const groups = new Map<string, RunResult[]>();
  for (const r of runs) {
    if (!r.ingest) continue;
    const label = `${r.config.extractor} / ${r.config.chunker}`;
    groups.set(label, [...(groups.get(label) ?? []), r]);
  }
  const mean = (rs: RunResult[], f: (r: RunResult) => number): number => rs.reduce((s, r) => s + f(r), 0) / rs.length;
  return [...groups].map(([label, rs]) => ({
    label,
    runs: rs.map((r) => r.id),
    pagesPerSecond: mean(rs, (r) => r.ingest?.pagesPerSecond ?? 0),
    chunksPerSecond: mean(rs, (r) => r.ingest?.chunksPerSecond ?? 0),
    embeddingsPerSecond: mean(rs, (r) => r.ingest?.embeddingsPerSecond ?? 0),
  }));
}

function gold(q: QueryRecord, table: TextTable): GoldQuestion {
  return {
    question: q.question,
    answerable: q.answerable,
    answers: q.answers,
    evidence: q.evidence.map((e) => ({ doc: e.doc, page: e.page, pageEnd: e.pageEnd, ...table.marked(e.text, q.answers) })),
  };
}

function record(q: QueryRecord, table: TextTable): ReportRecord {
  return {
    run: q.run,
    question: q.questionId,
    failed: q.failed,
    metrics: q.metrics,
    searchMs: q.searchMs,
    hits: q.hits.map((h) => ({
      rank: h.rank,
      score: h.score,
      doc: h.citation.doc,
      page: h.citation.page,
      pageEnd: h.citation.pageEnd,
      relevant: h.relevant,
      containsAnswer: h.containsAnswer,
      citationVerified: h.citationVerified,
      ...table.marked(h.citation.quote, q.answers),
    })),
  };
}

const PARETO_METRIC = 'accuracy.semanticAccuracy';
const PARETO_COST = 'latency.p95Ms';

/** Builds the report's data: pure, from the summary, its queries, the verdict and a baseline. */
export function buildReportData(input: ReportInput): ReportData {
  const { summary, queries, baseline } = input;
  const { runs, verdict: _stored, ...head } = summary;
  const runOrder = new Map(runs.map((r, i) => [r.id, i]));
  const points = runs.flatMap((r) => {
    const x = readMetric(r, PARETO_COST);
    const y = readMetric(r, PARETO_METRIC);
    return r.status === 'completed' && x !== undefined && y !== undefined ? [{ id: r.id, x, y }] : [];
  });
  const table = new TextTable();
  const questions: Record<string, GoldQuestion> = {};
  for (const q of queries) if (!Object.hasOwn(questions, q.questionId)) questions[q.questionId] = gold(q, table);
  const records = queries
    .map((q) => record(q, table))
    .sort(
      (a, b) =>
        Number(b.failed.length > 0) - Number(a.failed.length > 0) ||
        b.failed.length - a.failed.length ||
        (runOrder.get(a.run) ?? 0) - (runOrder.get(b.run) ?? 0) ||
        a.question.localeCompare(b.question),
    );
  const warnings: string[] = [];
  const unknownRuns = new Set(queries.filter((q) => !runOrder.has(q.run)).map((q) => q.run));
  if (unknownRuns.size) warnings.push(`queries.jsonl has records of runs not in summary.json: ${[...unknownRuns].join(', ')}`);
  const data: ReportData = {
    schema: 'ragbench-report/1',
    summary: head,
    verdict: input.verdict,
    verdictSource: input.verdictSource,
    metrics: Object.fromEntries(METRIC_COLUMNS.map((c) => [c.path, c])),
    columns: columnsOf(runs),
    runs: runs.map((r) => ({
      id: r.id,
      config: r.config,
      status: r.status,
      error: r.error ?? null,
      metrics: Object.fromEntries(Object.keys(METRICS).map((p) => [p, readMetric(r, p) ?? null])),
      routing: r.routing ?? [],
    })),
    pareto: { metric: PARETO_METRIC, cost: PARETO_COST, front: paretoFront(points).map((p) => p.id) },
    ingest: ingestGroups(runs),
    questions,
    records,
    texts: table.texts,
    failedMetrics: [...new Set(queries.flatMap((q) => q.failed))].sort(),
    warnings,
  };
  if (baseline) data.baseline = { runId: baseline.runId, startedAt: baseline.startedAt, deltas: deltasOf(summary, baseline) };
  return data;
}
