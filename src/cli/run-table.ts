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
  // Not run for a stated reason (e.g. a hosted backend without credentials): not an error.
  if (r.status === 'skipped') return `skipped: ${r.error ?? 'no reason given'}`;
  return `ERROR: ${r.error ?? ''}`;
}

/**
 * Names, reasons and errors come from suite files and servers: control characters (a newline,
 * an escape sequence) would break the table or drive the terminal, so they print as spaces.
 */
const printable = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');

/** Columns padded to their widest cell: numbers right-aligned, the `left` columns (text) left-aligned. */
function aligned(header: string[], rows: string[][], left: readonly number[] = [0]): string[] {
  const cells = rows.map((row) => row.map(printable));
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] as string).length)));
  const line = (row: string[]): string =>
    row.map((c, i) => (left.includes(i) ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ').trimEnd();
  return [line(header), ...cells.map(line)];
}

const ratio = (x: number | null | undefined): string => (x === undefined || x === null ? '-' : x.toFixed(3));

/**
 * Consensus runs: agreement, answered with a quorum, top-k identical to the fault-free run,
 * chunks lost, p95 over the slowest healthy backend's, and the backends flagged suspect.
 */
function consensusBlock(runs: readonly RunResult[]): string[] {
  const measured = runs.filter((r) => r.consensus);
  if (!measured.length) return [];
  const faultFree = measured.map((r) => r.consensus?.faultFreeRun).find((n): n is string => typeof n === 'string');
  const rows = measured.map((r) => {
    const c = r.consensus!;
    const suspects = c.perBackend.filter((b) => b.suspect).map((b) => (b.flaggedAfterQueries === null ? b.name : `${b.name} (${b.flaggedAfterQueries})`));
    return [
      r.name,
      ratio(c.agreement),
      `${pct(c.answeredFraction)}${c.noQuorum ? ` (${c.noQuorum} no quorum)` : ''}`,
      pct(c.identicalToFaultFree),
      c.chunksLost === null ? '-' : String(c.chunksLost),
      c.overheadP95VsSlowestHealthy === null ? '-' : `${c.overheadP95VsSlowestHealthy >= 0 ? '+' : ''}${pct(c.overheadP95VsSlowestHealthy)}`,
      suspects.length ? suspects.join(', ') : '-',
    ];
  });
  return [
    '',
    `consensus${faultFree ? ` (identical: top-k equal to ${faultFree}'s)` : ''}:`,
    ...aligned(['run', 'agreement', 'answered%', 'identical%', 'chunks lost', 'p95 overhead%', 'suspect (after n queries)'], rows, [0, 6]),
  ];
}

/** Stores measured on their own: recall@10 against exact search and queries/s at their concurrency. */
function backendBlock(runs: readonly RunResult[]): string[] {
  const measured = runs.filter((r) => r.backend);
  if (!measured.length) return [];
  const rows = measured.map((r) => {
    const b = r.backend!;
    const t = b.throughput;
    return [r.name, b.store, ratio(b.recallAt10VsExact), t ? num(t.queriesPerSecond) : '-', t ? String(t.concurrency) : '-', t ? num(t.p95Ms, 2) : '-', t ? String(t.errors) : '-'];
  });
  return ['', 'backends (pre-embedded queries, no model time):', ...aligned(['run', 'store', 'recall@10', 'queries/s', 'concurrency', 'p95ms', 'errors'], rows, [0, 1])];
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
  const m = summary.machine;
  const g = summary.golden;
  const cached = summary.runs.some((r) => r.ingest?.embeddingSource === 'cache' || r.ingest?.embeddingSource === 'mixed');
  const named = summary.runs.filter((r) => r.name !== r.id);
  return [
    `${summary.suite.name} on ${g.name}: ${g.sample.size} of ${g.questions} questions (${g.sample.split} split, ${g.sample.answerable} answerable, ${g.sample.unanswerable} unanswerable), k=${summary.settings.k}`,
    `machine: ${m.cpus} x ${m.cpuModel}, ${(m.memoryBytes / 2 ** 30).toFixed(0)} GiB, node ${m.node}`,
    '',
    ...aligned(header, rows, [0, header.length - 1]),
    ...consensusBlock(summary.runs),
    ...backendBlock(summary.runs),
    ...(cached ? ['', 'pages/s: * from cached embeddings, + partly cached (not the model\'s throughput)'] : []),
    ...(named.length ? ['', 'runs:', ...named.map((r) => printable(`  ${r.name} = ${r.id}`))] : []),
  ].join('\n');
}
