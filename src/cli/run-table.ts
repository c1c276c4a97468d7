import type { Summary } from '../summary/schema.ts';

const pct = (x: number | undefined): string => (x === undefined ? '-' : (x * 100).toFixed(1));
const num = (x: number | undefined, digits = 1): string => (x === undefined ? '-' : x.toFixed(digits));

/** A plain-text table of a summary's runs: a pure function of the summary. */
export function formatRunTable(summary: Summary): string {
  const header = ['run', 'cite%', 'sem%', 'hit@1', 'R@5', 'nDCG@10', 'p50ms', 'p95ms', 'pages/s', 'status'];
  const rows = summary.runs.map((r) => [
    r.id,
    pct(r.accuracy?.citationAccuracy),
    pct(r.accuracy?.semanticAccuracy),
    pct(r.accuracy?.hitAt1),
    pct(r.accuracy?.recallAt5),
    pct(r.accuracy?.ndcgAt10),
    num(r.latency?.p50Ms),
    num(r.latency?.p95Ms),
    num(r.ingest?.pagesPerSecond),
    r.status === 'completed' ? 'ok' : `ERROR: ${r.error ?? ''}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] as string).length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  const m = summary.machine;
  return [
    `${summary.suite.name} on ${summary.golden.name} (${summary.golden.questions} questions, ${summary.golden.answerable} answerable, k=${summary.settings.k})`,
    `machine: ${m.cpus} x ${m.cpuModel}, ${(m.memoryBytes / 2 ** 30).toFixed(0)} GiB, node ${m.node}`,
    '',
    line(header),
    ...rows.map(line),
  ].join('\n');
}
