import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/gate/evaluate.ts';
import { buildReportData } from '../../src/report/data.ts';
import { escapeHtml, jsonForScript } from '../../src/report/escape.ts';
import { renderReportHtml } from '../../src/report/html.ts';
import { renderReport } from '../../src/report/write.ts';
import { makeRun, makeSummary } from '../gate/fixtures.ts';
import { PAYLOADS, hostileQueries, hostileSummary } from './hostile.ts';

const summary = hostileSummary();
const queries = hostileQueries(summary, 12);
const html = renderReport(summary, queries);

/** The page split at its three <script> elements. */
function parts(page: string) {
  const re = /<script( type="application\/json" id="report-data")?>([\s\S]*?)<\/script>/g;
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
    expect(scripts[0]?.[1]).toBe(' type="application/json" id="report-data"');
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

  it('carries the data losslessly: the hostile text comes back from JSON.parse intact', () => {
    const block = parts(html).scripts[0]?.[2] as string;
    const data = JSON.parse(block);
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

  it('lists rollback triggers with both values, tolerance, noise and samples', () => {
    const s = makeSummary([makeRun('r', { latency: { p95Ms: 80, roundP95Ms: [79, 80, 81] } })]);
    const baseline = makeSummary([makeRun('r', { latency: { p95Ms: 40, roundP95Ms: [39, 40, 41] } })], { runId: 'base-1' });
    const page = renderReport(s, [], { baseline });
    expect(page).toContain(
      '<li><span class="run">r</span> <code>latency.p95Ms</code>: <b>80.0 ms</b> vs baseline 40.0 ms, tolerance <code>+20%</code> (limit 48.0 ms, noise allowance 2.00 ms, samples 600 vs 600)</li>',
    );
    expect(page).toContain('baseline run base-1');
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
