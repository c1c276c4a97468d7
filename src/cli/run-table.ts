import type { RunResult, Summary } from '../summary/schema.ts';

const pct = (x: number | null | undefined): string => (x === undefined || x === null ? '-' : (x * 100).toFixed(1));
const num = (x: number | undefined, digits = 1): string => (x === undefined ? '-' : x.toFixed(digits));

/** "96.0 [94.8-97.1]": a percentage with its interval when the summary has one. */
function pctWithInterval(run: RunResult, metric: 'semanticAccuracy' | 'citationAccuracy'): string {
  const v = run.accuracy?.[metric];
  const iv = run.accuracy?.intervals[metric];
  return iv && v !== undefined ? `${pct(v)} [${pct(iv.low)}-${pct(iv.high)}]` : pct(v);
}

function status(r: RunResult): string {
  if (r.status === 'completed') return 'ok';
  if (r.status === 'interrupted') return 'interrupted';
  return `ERROR: ${r.error ?? ''}`;
}

/** Throughput from cached embeddings is marked: it is not the model's. */
function pagesPerSecond(r: RunResult): string {
  if (!r.ingest) return '-';
  const mark = r.ingest.embeddingSource === 'cache' ? '*' : r.ingest.embeddingSource === 'mixed' ? '+' : '';
  return `${num(r.ingest.pagesPerSecond)}${mark}`;
}

/** A plain-text table of a summary's runs by short name: a pure function of the summary. */
export function formatRunTable(summary: Summary): string {
  const confidence = Math.round(summary.settings.statistics.confidence * 100);
  const header = ['run', `cite% [${confidence}%]`, `sem% [${confidence}%]`, 'hit@1', 'R@5', 'nDCG@10', 'AUROC', 'p50ms', 'p95ms', 'pages/s', 'status'];
  const role = (r: RunResult): string =>
    r.name === summary.suite.candidate ? ' (candidate)' : r.name === summary.suite.deployed ? ' (deployed)' : '';
  const rows = summary.runs.map((r) => [
    `${r.name}${role(r)}`,
    pctWithInterval(r, 'citationAccuracy'),
    pctWithInterval(r, 'semanticAccuracy'),
    pct(r.accuracy?.hitAt1),
    pct(r.accuracy?.recallAt5),
    pct(r.accuracy?.ndcgAt10),
    r.accuracy?.noAnswerAuroc === undefined || r.accuracy.noAnswerAuroc === null ? '-' : r.accuracy.noAnswerAuroc.toFixed(2),
    num(r.latency?.p50Ms),
    num(r.latency?.p95Ms),
    pagesPerSecond(r),
    status(r),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  const m = summary.machine;
  const g = summary.golden;
  const cached = summary.runs.some((r) => r.ingest?.embeddingSource === 'cache' || r.ingest?.embeddingSource === 'mixed');
  const named = summary.runs.filter((r) => r.name !== r.id);
  return [
    `${summary.suite.name} on ${g.name}: ${g.sample.size} of ${g.questions} questions (${g.sample.split} split, ${g.sample.answerable} answerable, ${g.sample.unanswerable} unanswerable), k=${summary.settings.k}`,
    `machine: ${m.cpus} x ${m.cpuModel}, ${(m.memoryBytes / 2 ** 30).toFixed(0)} GiB, node ${m.node}`,
    '',
    line(header),
    ...rows.map(line),
    ...(cached ? ['', 'pages/s: * from cached embeddings, + partly cached (not the model\'s throughput)'] : []),
    ...(named.length ? ['', 'runs:', ...named.map((r) => `  ${r.name} = ${r.id}`)] : []),
  ].join('\n');
}
