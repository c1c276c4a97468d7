import { describe, expect, it } from 'vitest';
import { readReportData } from '../../src/report/pack.ts';
import type { ReportData } from '../../src/report/data.ts';
import { renderReport } from '../../src/report/write.ts';
import { defaultSuiteLoad } from './load.ts';

/**
 * The report's weight for the default suite's size: 12 runs × 1,000 questions × top-5 hits
 * with ~400-character quotes of the bundled golden set's real text (test/report/load.ts).
 * Before compression the page carried ~17 MB for this; the bound is 5 MB.
 */
const MAX_BYTES = 5 * 1024 * 1024;

describe('report weight at the default suite size', () => {
  const { summary, queries } = defaultSuiteLoad();
  const started = performance.now();
  const html = renderReport(summary, queries);
  const renderMs = performance.now() - started;
  const bytes = Buffer.byteLength(html);

  it('stays under 5 MB with every record of every run inlined', () => {
    const data = readReportData(html) as ReportData;
    const json = Buffer.byteLength(JSON.stringify(data));
    console.log(`report.html: ${(bytes / 2 ** 20).toFixed(2)} MiB for ${queries.length} records (${(json / 2 ** 20).toFixed(1)} MiB of JSON inflated; rendered in ${renderMs.toFixed(0)} ms)`);
    expect(queries).toHaveLength(12 * 1000);
    expect(bytes).toBeLessThan(MAX_BYTES);
    // Nothing was dropped to get there: every record, hit and quote is in the page.
    expect(data.records).toHaveLength(queries.length);
    expect(data.records.reduce((n, r) => n + r.hits.length, 0)).toBe(queries.length * 5);
    const quotes = new Set(queries.flatMap((q) => q.hits.map((h) => h.citation.quote)));
    expect(new Set(data.texts.filter((t) => quotes.has(t))).size).toBe(quotes.size);
    // The compression is what does it: the same data as plain JSON would not fit.
    expect(json).toBeGreaterThan(MAX_BYTES);
  });

  it('says in its header what was scored: sample of the set, split and method', () => {
    expect(html).toContain('1000 of 4384 questions (test split, even sample; ');
  });

  it('pairs all 66 run pairs, from per-question arrays aligned with the sample ids', () => {
    const data = readReportData(html) as ReportData;
    expect(data.pairs).toHaveLength(66);
    const first = data.pairs[0]!;
    const a = summary.runs[0]!.perQuestion!.semanticAccuracy!;
    const b = summary.runs[1]!.perQuestion!.semanticAccuracy!;
    expect(first.onlyFirst.every((i) => a[i] === 1 && b[i] === 0)).toBe(true);
    expect(first.onlySecond.every((i) => a[i] === 0 && b[i] === 1)).toBe(true);
    expect(first.onlyFirst.length + first.onlySecond.length).toBeGreaterThan(0);
  });
});
