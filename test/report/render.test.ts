import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/gate/evaluate.ts';
import { buildReportData } from '../../src/report/data.ts';
import { escapeHtml, jsonForScript } from '../../src/report/escape.ts';
import { isWarning, renderReportHtml, testText } from '../../src/report/html.ts';
import type { Verdict } from '../../src/summary/schema.ts';
import { readReportData, unpackData } from '../../src/report/pack.ts';
import { renderReport } from '../../src/report/write.ts';
import { makeRun, makeSummary } from '../gate/fixtures.ts';
import { PAYLOADS, hostileQueries, hostileSummary } from './hostile.ts';

const summary = hostileSummary();
const queries = hostileQueries(summary, 12);
const html = renderReport(summary, queries);

/** The page split at its three <script> elements. */
function parts(page: string) {
  const re = /<script( type="application\/octet-stream" id="report-data" data-encoding="gzip\+base64")?>([\s\S]*?)<\/script>/g;
  const scripts = [...page.matchAll(re)];
  const outside = page.replace(re, '');
  return { scripts, outside };
}

describe('report HTML escaping', () => {
  it('escapes text for HTML and JSON for a script element', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    const tricky = { t: '</script><!-- & \u2028\u2029' };
    const json = jsonForScript(tricky);
    expect(json).toBe('{"t":"\\u003c/script\\u003e\\u003c!-- \\u0026 \\u2028\\u2029"}');
    expect(JSON.parse(json)).toEqual(tricky);
  });

  it('has exactly three script elements, whatever the documents contain', () => {
    const { scripts } = parts(html);
    expect(scripts).toHaveLength(3);
    expect(html.match(/<script/gi)).toHaveLength(3);
    expect(html.match(/<\/script/gi)).toHaveLength(3);
    expect(scripts[0]?.[1]).toBe(' type="application/octet-stream" id="report-data" data-encoding="gzip+base64"');
    // Base64 only: nothing a document says can close the element.
    expect(scripts[0]?.[2]).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });

  it('never lets hostile text out as markup', () => {
    const { outside, scripts } = parts(html);
    for (const raw of ['<script>alert', '<script>window.__pwned', '<img src=x', '<svg onload', '<!--<script>', '<b>bold?</b>']) {
      expect(outside).not.toContain(raw);
      expect(scripts[0]?.[2]).not.toContain(raw);
    }
    // Server-rendered parts show the text escaped.
    expect(outside).toContain('chunker crashed: &lt;/script&gt;&lt;script&gt;window.__pwned = 1; alert(1)&lt;/script&gt;');
    expect(outside).toContain('<h1>hostile &quot;&gt;&lt;svg onload=&quot;window.__pwned = 4&quot;&gt; <span class="muted">');
  });

  it('carries the data losslessly: the hostile text comes back from gzip and JSON.parse intact', () => {
    const data = readReportData(html) as ReturnType<typeof buildReportData>;
    expect(unpackData(parts(html).scripts[0]?.[2] as string)).toEqual(data);
    const expected = buildReportData({ summary, queries, verdict: evaluateGate(summary), verdictSource: 'production defaults' });
    expect(data).toEqual(JSON.parse(JSON.stringify(expected)));
    expect(Object.values(data.questions).map((q) => (q as { question: string }).question)).toContain(`Question 0: ${PAYLOADS[0]} where is the capital?`);
  });

  it('allows only its own two scripts (by hash) and no network in its Content-Security-Policy', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1] as string;
    const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
    const { scripts } = parts(html);
    expect(csp.replace(/&#39;/g, "'")).toBe(
      `default-src 'none'; script-src ${hash(scripts[1]?.[2] as string)} ${hash(scripts[2]?.[2] as string)}; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`,
    );
    expect(parts(html).outside).not.toMatch(/\b(src|href)\s*=\s*"(https?:)?\/\//i);
    expect(html).not.toContain('sourceMappingURL');
  });

  it('shows the verdict at the top with failed checks, value, threshold and run', () => {
    const top = html.slice(html.indexOf('<section id="verdict"'), html.indexOf('</section>'));
    expect(top).toContain('<div class="decision">NO-GO</div>');
    expect(top).toContain('<li><span class="run">pdfjs-fixed-faiss</span> <code>accuracy.citationAccuracy &gt;= 0.99</code>: <b>0.970</b>, expected &gt;= 0.990</li>');
    expect(html.indexOf('id="verdict"')).toBeLessThan(html.indexOf('id="app"'));
  });

  it('lists rollback triggers and checks by short run name, with their test, mode and non-blocking misses', () => {
    const id = 'extractor=router chunker=sentence embedder=use-lite store=faiss-flat retriever=dense';
    const s = makeSummary([makeRun(id, { name: 'router·sentence', latency: { p95Ms: 80, roundP95Ms: [79, 80, 81] } })]);
    const test = { method: 'paired bootstrap of the p95 difference', pValue: 0.0004, interval: { low: 31.5, high: 44 }, level: 0.05 };
    const verdict: Verdict = {
      decision: 'NO-GO',
      mode: 'nightly',
      checks: [
        { name: 'baseline latency.p95Ms +20%', metric: 'latency.p95Ms', op: '<=', threshold: 48, value: 80, run: id, pass: false, status: 'fail', source: 'baseline', test: { ...test, significant: true } },
        { name: 'accuracy.semanticAccuracy >= 0.95', metric: 'accuracy.semanticAccuracy', op: '>=', threshold: 0.95, value: 0.96, run: id, pass: true, status: 'pass', source: 'default' },
        { name: 'latency.p95Ms < 50', metric: 'latency.p95Ms', op: '<', threshold: 50, value: 80, run: id, pass: false, status: 'warn', source: 'thresholds', blocking: false },
        {
          name: 'baseline accuracy.semanticAccuracy -0.01', metric: 'accuracy.semanticAccuracy', op: '>=', threshold: 0.95, value: 0.954, run: id, pass: true, status: 'pass', source: 'baseline',
          test: { method: 'exact McNemar', pValue: 0.61, interval: { low: -0.02, high: 0.01 }, level: 0.05, significant: false },
        },
      ],
      triggers: [{ run: id, metric: 'latency.p95Ms', baseline: 40, value: 80, tolerance: '+20%', limit: 48, noise: 2, samples: { baseline: 600, current: 600 }, test, message: 'p95 doubled' }],
      warnings: [],
      baseline: { runId: 'base-1', startedAt: '2026-01-01T00:00:00.000Z' },
    };
    const page = renderReport({ ...s, verdict }, [], { baseline: makeSummary([makeRun(id, { name: 'router·sentence' })], { runId: 'base-1' }) });
    const top = page.slice(page.indexOf('<section id="verdict"'), page.indexOf('</section>'));
    const name = `<span class="run" title="${id}">router·sentence</span>`;
    expect(top).toContain(
      `<li>${name} <code>latency.p95Ms</code>: <b>80.0 ms</b> vs baseline 40.0 ms, tolerance <code>+20%</code> (limit 48.0 ms, noise allowance 2.00 ms, samples 600 vs 600; paired bootstrap of the p95 difference, p &lt; 0.001, interval [31.5 ms, 44.0 ms], level 0.05)</li>`,
    );
    expect(top).toContain('gate mode nightly: regressions block, target misses are reported as warnings');
    expect(top).toContain(`<details class="warned"><summary>1 check missed without blocking in nightly mode`);
    expect(top).toContain(`<li>${name} <code>latency.p95Ms &lt; 50</code>: <b>80.0 ms</b>, expected &lt; 50.0 ms</li>`);
    expect(top).toContain('baseline run base-1');
    expect(testText('accuracy.semanticAccuracy', verdict.checks[3]!.test!)).toBe('exact McNemar, p = 0.610, interval [-0.020, 0.010], not significant at 0.05');
    expect(isWarning(verdict.checks[2]!)).toBe(true);
    expect(isWarning({ ...verdict.checks[0]!, blocking: false })).toBe(true);
    expect(isWarning(verdict.checks[0]!)).toBe(false);
  });

  it('keeps a verdict stored by `run --gate` unless asked to judge again', () => {
    const s = makeSummary([makeRun('r', { latency: { p95Ms: 5000 } })]);
    const stored = { ...s, verdict: { decision: 'GO' as const, checks: [], triggers: [], warnings: [] } };
    expect(renderReport(stored, [])).toContain('<div class="decision">GO</div>');
    expect(renderReport(stored, [])).toContain('Thresholds: the verdict stored in summary.json');
    // A baseline alone adds deltas, not a new judgement.
    const baseline = makeSummary([makeRun('r', { latency: { p95Ms: 10 } })]);
    expect(renderReport(stored, [], { baseline })).toContain('<div class="decision">GO</div>');
    expect(renderReport(stored, [], { thresholds: { defaults: true, all: {}, runs: [], tolerances: {} } })).toContain('<div class="decision">NO-GO</div>');
  });

  it('refuses to inline a script or style that could close its element', () => {
    const data = buildReportData({ summary, queries: [], verdict: evaluateGate(summary), verdictSource: 'x' });
    expect(() => renderReportHtml(data, { chartJs: 'var a = "</script>";', script: '', css: '' })).toThrow(
      'chart.js cannot be inlined: it contains "</script" at 9',
    );
    expect(() => renderReportHtml(data, { chartJs: '', script: 'x = "<!--"', css: '' })).toThrow('report.js cannot be inlined');
    expect(() => renderReportHtml(data, { chartJs: '', script: '', css: '</style>' })).toThrow('report.css cannot be inlined');
  });
});
