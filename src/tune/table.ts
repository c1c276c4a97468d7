import type { ScoredCandidate } from './choose.ts';

const fmt = (x: number): string => x.toFixed(3);

/**
 * Every candidate's score on the dev split with its 95 % interval, one row each, the chosen
 * one marked: what `ragbench tune` prints.
 */
export function formatTuneTable(candidates: readonly ScoredCandidate[], objective: string, chosen: ScoredCandidate | null): string {
  const parameters = [...new Set(candidates.flatMap((c) => c.settings.map((s) => s.parameter)))];
  const header = ['#', ...parameters, `${objective} [95% CI]`, 'nDCG@10', ''];
  const rows = candidates.map((c) => {
    const values = parameters.map((p) => {
      const s = c.settings.find((x) => x.parameter === p);
      return s === undefined ? '' : String(s.value);
    });
    const score =
      c.score === null ? 'failed' : `${fmt(c.score)}${c.interval ? ` [${fmt(c.interval.low)}, ${fmt(c.interval.high)}]` : ''}`;
    const note = c === chosen ? '<- chosen' : (c.error ?? '');
    return [String(c.index), ...values, score, c.ndcgAt10 === null ? '' : fmt(c.ndcgAt10), note];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w)).slice(0, -1)), ...rows.map(line)].join('\n');
}
