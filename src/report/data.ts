import { METRICS, readMetric, type MetricInfo } from '../gate/metrics.ts';
import type { Interval, QueryRecord, RunResult, Summary, Verdict } from '../summary/schema.ts';
import { AnswerMarker, clip, type Mark } from './highlight.ts';
import { backendsSection, type BackendsSection } from './backends.ts';
import { loadSection, type LoadSection } from './load.ts';
import { migrationSection, type MigrationSection } from './migration.ts';
import { stagesSection, type StageRow } from './stages.ts';
import { consensusSection, type ConsensusSection } from './consensus.ts';
import { disagreement, type Disagreement } from './disagreement.ts';
import { paretoFront } from './pareto.ts';

/**
 * Everything the report page shows, as plain data: the page's script only draws it. Gold
 * text (question, answers, evidence) is stored once per question, not once per run.
 */
export interface ReportData {
  schema: 'ragbench-report/2';
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
  /** Every pair of runs compared question by question (McNemar), for the disagreement drill-down. */
  pairs: PairComparison[];
  /** Consensus scenarios against the fault-free run (docs/consensus.md); null when no run used the router. */
  consensus: ConsensusSection | null;
  /** Vector stores measured on their own (recall@10 vs exact, queries/s); null when no run did. */
  backends: BackendsSection | null;
  load: LoadSection | null;
  migration: MigrationSection | null;
  stages: { rows: StageRow[] } | null;
  /** Every store at growing sizes, when attached with --scale. */
  scale: Summary['scale'] | null;
  /** Extraction accuracy per extractor (suites with `extraction:`). */
  extraction: Summary['extraction'] | null;
  /** Rollbacks `ragbench watch` fired (its audit log), when attached with --audit. */
  rollbacks: Summary['rollbacks'] | null;
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
  /** Paths of the counts behind a ratio ([numerator, denominator]): shown in its cell, not as columns. */
  counts?: [string, string];
}

export interface ReportRun {
  id: string;
  name: string;
  config: RunResult['config'];
  status: RunResult['status'];
  error: string | null;
  /** The suite's candidate (what would be deployed) or deployed run. */
  role: 'candidate' | 'deployed' | null;
  /** Metric path -> value, null when not measured. */
  metrics: Record<string, number | null>;
  /** Metric path (e.g. "accuracy.semanticAccuracy") -> its confidence interval. */
  intervals: Record<string, Interval>;
  embeddingSource: NonNullable<RunResult['ingest']>['embeddingSource'] | null;
  memoryScope: NonNullable<RunResult['memory']>['scope'] | null;
  routing: NonNullable<RunResult['routing']>;
}

export interface IngestGroup {
  label: string;
  runs: string[];
  pagesPerSecond: number;
  chunksPerSecond: number;
  embeddingsPerSecond: number;
  /** `cache` when every embedding of the group's runs came from the disk cache: the throughput is not the model's. */
  embeddingSource: 'model' | 'cache' | 'mixed' | 'none';
}

/** Two runs' disagreement on one metric; indexes are into golden.sample.ids. */
export interface PairComparison extends Disagreement {
  metric: string;
  /** Run ids. */
  first: string;
  second: string;
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
  answerCitation: NonNullable<QueryRecord['answerCitation']> | null;
  topScore: number | null;
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

/** Per-question metrics the disagreement drill-down compares runs on (1 right, 0 wrong). */
export const PAIRED_METRICS = ['semanticAccuracy'] as const;

/**
 * Texts stored once, and answer marks computed once per text and answer set: with a dozen
 * runs over the same chunks this saves most of the file and most of the matching time.
 * `ordered()` then sorts the texts by where they lie in their document, so that chunks of the
 * same passage cut by different chunkers sit side by side, within reach of gzip's window.
 */
class TextTable {
  private readonly list: { text: string; doc: string; at: number }[] = [];
  private readonly index = new Map<string, number>();
  private readonly marks = new Map<string, MarkedText>();
  private readonly marker = new AnswerMarker();

  /** `at` places the text in its document (a citation's charStart; -1 for an evidence passage). */
  marked(text: string, answers: readonly string[], doc: string, at: number): MarkedText {
    const key = `${answers.join('\u0000')}\u0001${text}`;
    const known = this.marks.get(key);
    if (known) return known;
    const c = clip(text, this.marker.marks(text, answers), MAX_TEXT);
    let t = this.index.get(c.text);
    if (t === undefined) {
      t = this.list.push({ text: c.text, doc, at }) - 1;
      this.index.set(c.text, t);
    }
    const m: MarkedText = { t, marks: c.marks, clipped: c.clipped };
    this.marks.set(key, m);
    return m;
  }

  /** The texts in document order, and each old index's new one. */
  ordered(): { texts: string[]; renumber: (t: number) => number } {
    const order = this.list.map((_, i) => i);
    const byDoc = (i: number) => this.list[i] as { doc: string; at: number };
    order.sort((a, b) => {
      const x = byDoc(a);
      const y = byDoc(b);
      return x.doc < y.doc ? -1 : x.doc > y.doc ? 1 : x.at - y.at || a - b;
    });
    const renumbered = new Array<number>(order.length);
    order.forEach((old, i) => {
      renumbered[old] = i;
    });
    return { texts: order.map((i) => (this.list[i] as { text: string }).text), renumber: (t) => renumbered[t] as number };
  }
}

type ColumnInfo = Pick<MetricInfo, 'label' | 'unit' | 'better'>;

/** Figures the report shows that the gate does not judge (yet): the gate's list wins when it has them. */
const REPORT_ONLY: Record<string, ColumnInfo> = {
  'accuracy.citationFaithfulness': { label: 'citation faithfulness', unit: 'ratio', better: 'higher' },
  'accuracy.noAnswerAuroc': { label: 'no-answer AUROC', unit: 'ratio', better: 'higher' },
  'accuracy.passageOverlapAccuracy': { label: 'passage overlap accuracy', unit: 'ratio', better: 'higher' },
  'accuracy.answerCitations': { label: 'answer citations', unit: 'count' },
  'accuracy.answerCitationsCorrect': { label: 'answer citations correct', unit: 'count' },
  'accuracy.unanswerable': { label: 'unanswerable scored', unit: 'count' },
  'ingest.embeddingCacheHits': { label: 'embedding cache hits', unit: 'count' },
  'ingest.modelSeconds': { label: 'embedding model time', unit: 'seconds' },
};

/** Column order: related figures side by side; any metric the gate adds later comes after. */
const COLUMN_ORDER = [
  'accuracy.citationAccuracy',
  'accuracy.answerCitations',
  'accuracy.answerCitationsCorrect',
  'accuracy.citationFaithfulness',
  'accuracy.semanticAccuracy',
  'accuracy.passageOverlapAccuracy',
  'accuracy.hitAt1',
  'accuracy.recallAt5',
  'accuracy.recallAt10',
  'accuracy.mrrAt10',
  'accuracy.ndcgAt10',
  'accuracy.noAnswerAuroc',
  'accuracy.questions',
  'accuracy.unanswerable',
  'accuracy.citations',
  'accuracy.citationsVerified',
];

/** A ratio and the counts it is made of: "0.995 (189/190)" reads better than three columns. */
const COUNTS: Record<string, [string, string]> = {
  'accuracy.citationAccuracy': ['accuracy.answerCitationsCorrect', 'accuracy.answerCitations'],
  'accuracy.citationFaithfulness': ['accuracy.citationsVerified', 'accuracy.citations'],
};
const SHOWN_AS_COUNTS = new Set(Object.values(COUNTS).flat());

function metricColumns(): MetricColumn[] {
  const info = (path: string): ColumnInfo | undefined => (Object.hasOwn(METRICS, path) ? METRICS[path] : REPORT_ONLY[path]);
  const paths = [...new Set([...COLUMN_ORDER, ...Object.keys(METRICS), ...Object.keys(REPORT_ONLY)])];
  return paths.flatMap((path) => {
    const m = info(path);
    if (!m) return [];
    const counts = COUNTS[path];
    return [{ path, label: m.label, unit: m.unit, better: m.better ?? null, ...(counts ? { counts } : {}) }];
  });
}

const METRIC_COLUMNS = metricColumns();

/** A run's value of a column: the gate's reading, or a plain number at the path (null when absent). */
function valueOf(run: RunResult, path: string): number | null {
  return readMetric(run, path) ?? null;
}

function columnsOf(runs: readonly RunResult[]): MetricColumn[] {
  return METRIC_COLUMNS.filter((c) => !SHOWN_AS_COUNTS.has(c.path) && runs.some((r) => valueOf(r, c.path) !== null));
}

/** `accuracy.intervals` is keyed by metric name ("semanticAccuracy"); the report keys by path. */
function intervalsOf(run: RunResult): Record<string, Interval> {
  const out: Record<string, Interval> = {};
  for (const [key, interval] of Object.entries(run.accuracy?.intervals ?? {})) {
    out[key.includes('.') ? key : `accuracy.${key}`] = interval;
  }
  return out;
}

function deltasOf(summary: Summary, baseline: Summary): Delta[] {
  const base = new Map(baseline.runs.map((r) => [r.id, r]));
  const out: Delta[] = [];
  for (const run of summary.runs) {
    const b = base.get(run.id);
    if (!b || b.status !== 'completed' || run.status !== 'completed') continue;
    for (const column of METRIC_COLUMNS) {
      const bv = valueOf(b, column.path);
      const v = valueOf(run, column.path);
      if (bv === null || v === null) continue;
      const delta = v - bv;
      const sign = Math.sign(delta) * (column.better === 'lower' ? -1 : 1);
      out.push({
        run: run.id,
        metric: column.path,
        baseline: bv,
        value: v,
        delta,
        relative: bv === 0 ? null : delta / Math.abs(bv),
        direction: column.better === null ? null : sign > 0 ? 'better' : sign < 0 ? 'worse' : 'same',
      });
    }
  }
  return out;
}

function combinedSource(runs: readonly RunResult[]): IngestGroup['embeddingSource'] {
  const sources = new Set(runs.map((r) => r.ingest?.embeddingSource ?? 'none').filter((s) => s !== 'none'));
  if (sources.size === 0) return 'none';
  if (sources.size === 1) return [...sources][0] as IngestGroup['embeddingSource'];
  return 'mixed';
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
    embeddingSource: combinedSource(rs),
  }));
}

/** Every pair of completed runs with aligned per-question outcomes, in suite order. */
function pairsOf(summary: Summary, warnings: string[]): PairComparison[] {
  const size = summary.golden.sample.ids.length;
  const out: PairComparison[] = [];
  for (const metric of PAIRED_METRICS) {
    const usable = summary.runs.filter((r) => {
      const outcomes = r.perQuestion?.[metric];
      if (r.status !== 'completed' || !outcomes) return false;
      if (outcomes.length === size) return true;
      warnings.push(`run ${r.name}: perQuestion.${metric} has ${outcomes.length} values for ${size} sample questions (golden.sample.ids); it is left out of the paired comparison`);
      return false;
    });
    usable.forEach((a, i) => {
      for (const b of usable.slice(i + 1)) {
        const d = disagreement(a.perQuestion?.[metric] ?? [], b.perQuestion?.[metric] ?? []);
        out.push({ metric, first: a.id, second: b.id, ...d });
      }
    });
  }
  return out;
}

function gold(q: QueryRecord, table: TextTable): GoldQuestion {
  return {
    question: q.question,
    answerable: q.answerable,
    answers: q.answers,
    evidence: q.evidence.map((e) => ({ doc: e.doc, page: e.page, pageEnd: e.pageEnd, ...table.marked(e.text, q.answers, e.doc, -1) })),
  };
}

/** Scores and times to the precision the page shows: full doubles would be most of the file's entropy. */
const round = (x: number, digits: number): number => Number(x.toFixed(digits));

function record(q: QueryRecord, table: TextTable): ReportRecord {
  return {
    run: q.run,
    question: q.questionId,
    failed: q.failed,
    metrics: Object.fromEntries(Object.entries(q.metrics).map(([k, v]) => [k, round(v, 4)])),
    searchMs: round(q.searchMs, 2),
    answerCitation: q.answerCitation ?? null,
    topScore: q.topScore === undefined || q.topScore === null ? null : round(q.topScore, 4),
    hits: q.hits.map((h) => ({
      rank: h.rank,
      score: round(h.score, 4),
      doc: h.citation.doc,
      page: h.citation.page,
      pageEnd: h.citation.pageEnd,
      relevant: h.relevant,
      containsAnswer: h.containsAnswer,
      citationVerified: h.citationVerified,
      // A hit judged to hold no answer has nothing to mark: skip the matching (most hits).
      ...table.marked(h.citation.quote, h.containsAnswer ? q.answers : [], h.citation.doc, h.citation.charStart),
    })),
  };
}

const PARETO_METRIC = 'accuracy.semanticAccuracy';
const PARETO_COST = 'latency.p95Ms';

function roleOf(summary: Summary, run: RunResult): ReportRun['role'] {
  const is = (named: string | undefined): boolean => named !== undefined && (named === run.name || named === run.id);
  return is(summary.suite.candidate) ? 'candidate' : is(summary.suite.deployed) ? 'deployed' : null;
}

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
  const { texts, renumber } = table.ordered();
  for (const q of Object.values(questions)) for (const e of q.evidence) e.t = renumber(e.t);
  for (const r of records) for (const h of r.hits) h.t = renumber(h.t);
  const warnings: string[] = [];
  const unknownRuns = new Set(queries.filter((q) => !runOrder.has(q.run)).map((q) => q.run));
  if (unknownRuns.size) warnings.push(`queries.jsonl has records of runs not in summary.json: ${[...unknownRuns].join(', ')}`);
  for (const named of [summary.suite.candidate, summary.suite.deployed]) {
    if (named !== undefined && !runs.some((r) => r.name === named || r.id === named)) {
      warnings.push(`suite names run "${named}" as ${named === summary.suite.candidate ? 'candidate' : 'deployed'}, but no run has that name`);
    }
  }
  const data: ReportData = {
    schema: 'ragbench-report/2',
    summary: head,
    verdict: input.verdict,
    verdictSource: input.verdictSource,
    metrics: Object.fromEntries(METRIC_COLUMNS.map((c) => [c.path, c])),
    columns: columnsOf(runs),
    runs: runs.map((r) => ({
      id: r.id,
      name: r.name,
      config: r.config,
      status: r.status,
      error: r.error ?? null,
      role: roleOf(summary, r),
      metrics: Object.fromEntries(METRIC_COLUMNS.map((c) => [c.path, valueOf(r, c.path)])),
      intervals: intervalsOf(r),
      embeddingSource: r.ingest?.embeddingSource ?? null,
      memoryScope: r.memory?.scope ?? null,
      routing: r.routing ?? [],
    })),
    pareto: { metric: PARETO_METRIC, cost: PARETO_COST, front: paretoFront(points).map((p) => p.id) },
    ingest: ingestGroups(runs),
    pairs: pairsOf(summary, warnings),
    consensus: consensusSection(summary),
    backends: backendsSection(summary),
    load: loadSection(summary),
    migration: migrationSection(summary),
    stages: stagesSection(summary),
    extraction: summary.extraction ?? null,
    scale: summary.scale ? { ...summary.scale, entries: summary.scale.entries.map((e) => ({ ...e, progress: [] })) } : null,
    rollbacks: summary.rollbacks ?? null,
    questions,
    records,
    texts,
    failedMetrics: [...new Set(queries.flatMap((q) => q.failed))].sort(),
    warnings,
  };
  if (baseline) data.baseline = { runId: baseline.runId, startedAt: baseline.startedAt, deltas: deltasOf(summary, baseline) };
  return data;
}
