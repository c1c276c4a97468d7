/**
 * The scale-vectors results as a Markdown table (docs/scale.md is made from it):
 *
 *   npx tsx bench/lib/scale-markdown.ts reports/scale/vectors.json
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { scaleVectorsDocument, type ScaleVectorEntry } from '../../src/scale/vectors-schema.ts';

const MiB = 2 ** 20;
const size = (bytes: number | undefined) => (bytes === undefined || !Number.isFinite(bytes) ? '–' : bytes >= 1024 * MiB ? `${(bytes / 1024 / MiB).toFixed(2)} GiB` : `${(bytes / MiB).toFixed(0)} MiB`);
const count = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n));

function row(e: ScaleVectorEntry): string {
  const reached = e.status === 'complete' ? count(e.inserted) : e.status === 'partial' ? `**${e.inserted.toLocaleString('en')}** (budget ${e.budgetSeconds} s)` : `${e.status}: ${e.reason ?? ''}`;
  if (e.status !== 'complete' && e.status !== 'partial') return `| ${e.store} | ${count(e.target)} | ${reached} | | | | | | | |`;
  const memoryKind = e.memory?.kind === 'process-rss' ? 'RSS Δ' : e.memory?.kind === 'server-rss' ? 'server RSS' : 'server PSS';
  const memory = e.memory ? `${size(e.memory.kind === 'process-rss' ? e.memory.deltaBytes : e.memory.afterBytes)} (${memoryKind})` : '–';
  return [
    e.store,
    count(e.target),
    reached,
    e.buildSeconds === undefined ? '–' : `${e.buildSeconds.toFixed(1)}${e.indexSeconds === undefined ? '' : ` (index ${e.indexSeconds.toFixed(1)})`}`,
    e.insertPerSecond?.toLocaleString('en') ?? '–',
    memory,
    size(e.disk?.bytes),
    e.recallAt10?.toFixed(4) ?? '–',
    e.query ? `${e.query.p50Ms.toFixed(2)} / ${e.query.p95Ms.toFixed(2)} (${e.query.samples})` : '–',
    e.loadAverage ? `${e.loadAverage.atStart}–${e.loadAverage.atEnd}` : '–',
  ].join(' | ').replace(/^/, '| ').concat(' |');
}

export function scaleTable(entries: readonly ScaleVectorEntry[]): string {
  const header = '| store | size | inserted | build s | inserts/s | memory | disk | recall@10 | query p50 / p95 ms (n) | load avg |\n|---|---|---|---|---|---|---|---|---|---|';
  const sorted = [...entries].sort((a, b) => a.target - b.target);
  return [header, ...sorted.map(row)].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const doc = scaleVectorsDocument.parse(JSON.parse(readFileSync(process.argv[2] ?? 'reports/scale/vectors.json', 'utf8')));
  console.log(scaleTable(doc.entries));
}
