import { createHash } from 'node:crypto';
import { formatValue } from '../gate/metrics.ts';
import { formatThreshold, headline } from '../gate/table.ts';
import type { GateCheck, RollbackTrigger } from '../summary/schema.ts';
import { reportAssets, type ReportAssets } from './assets.ts';
import type { ReportData } from './data.ts';
import { assertInlineSafe, escapeHtml as h, jsonForScript } from './escape.ts';

function cspHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

function failedCheckItem(c: GateCheck): string {
  return `<li><span class="run">${h(c.run)}</span> <code>${h(c.name)}</code>: <b>${h(formatValue(c.metric, c.value))}</b>, expected ${h(formatThreshold(c))}${c.detail ? ` <span class="muted">(${h(c.detail)})</span>` : ''}</li>`;
}

function triggerItem(t: RollbackTrigger): string {
  const samples = t.samples ? `, samples ${t.samples.current} vs ${t.samples.baseline}` : '';
  const noise = t.noise === undefined ? '' : `, noise allowance ${h(formatValue(t.metric, t.noise))}`;
  return `<li><span class="run">${h(t.run)}</span> <code>${h(t.metric)}</code>: <b>${h(formatValue(t.metric, t.value))}</b> vs baseline ${h(formatValue(t.metric, t.baseline))}, tolerance <code>${h(t.tolerance)}</code> (limit ${h(formatValue(t.metric, t.limit))}${noise}${samples})</li>`;
}

/** The verdict, rendered on the server so it reads even where scripts are blocked. */
function verdictBanner(data: ReportData): string {
  const v = data.verdict;
  const failed = v.checks.filter((c) => c.status === 'fail' && c.source !== 'baseline');
  const go = v.decision === 'GO';
  return `<section id="verdict" class="verdict ${go ? 'go' : 'nogo'}">
  <div class="decision">${go ? 'GO' : 'NO-GO'}</div>
  <div class="verdict-body">
    <p class="headline">${h(headline(v))}</p>
    <p class="muted">Thresholds: ${h(data.verdictSource)}${v.baseline ? ` · baseline run ${h(v.baseline.runId)} (${h(v.baseline.startedAt)})` : ''}</p>
    ${failed.length ? `<h3>Failed checks</h3><ul class="failures">${failed.map(failedCheckItem).join('')}</ul>` : ''}
    ${v.triggers.length ? `<h3>Rollback triggers</h3><ul class="failures">${v.triggers.map(triggerItem).join('')}</ul>` : ''}
    ${v.warnings.length ? `<details class="warnings"><summary>${v.warnings.length} warning${v.warnings.length === 1 ? '' : 's'}</summary><ul>${v.warnings.map((w) => `<li>${h(w)}</li>`).join('')}</ul></details>` : ''}
  </div>
</section>`;
}

const SECTIONS: [string, string][] = [
  ['verdict', 'Verdict'],
  ['charts', 'Charts'],
  ['configurations', 'Configurations'],
  ['checks', 'Checks'],
  ['baseline', 'Baseline'],
  ['routing', 'Routing'],
  ['questions', 'Questions'],
  ['machine', 'Machine'],
];

/**
 * The report as one self-contained HTML file: styles, chart.js, the page script and the data
 * are inline; a Content-Security-Policy allows only those exact scripts (by hash) and no
 * network at all. Pure apart from reading the bundled assets once.
 */
export function renderReportHtml(data: ReportData, assets: ReportAssets = reportAssets()): string {
  const s = data.summary;
  // No source map: the file stands alone, and devtools would try to fetch it.
  const chartJs = assertInlineSafe(assets.chartJs.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n'), 'chart.js');
  const script = assertInlineSafe(assets.script, 'report.js');
  if (/<\/style/i.test(assets.css)) throw new Error('report.css cannot be inlined: it contains "</style"');
  const csp = [
    "default-src 'none'",
    `script-src ${cspHash(chartJs)} ${cspHash(script)}`,
    "style-src 'unsafe-inline'",
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
  const sections = SECTIONS.filter(([id]) => id !== 'baseline' || data.baseline);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${h(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(`ragbench ${data.verdict.decision} · ${s.suite.name} · ${s.runId}`)}</title>
<style>${assets.css}</style>
</head>
<body>
<header class="top">
  <div class="brand">ragbench</div>
  <div class="title">
    <h1>${h(s.suite.name)} <span class="muted">on ${h(s.golden.name)}</span></h1>
    <p class="muted">Run <code>${h(s.runId)}</code> · ${h(s.startedAt)} → ${h(s.finishedAt)} · ${h(String(s.golden.questions))} questions (${h(String(s.golden.answerable))} answerable), ${h(String(s.golden.documents))} documents · k = ${h(String(s.settings.k))}</p>
  </div>
  <nav>${sections.map(([id, label]) => `<a href="#${id}">${label}</a>`).join('')}</nav>
</header>
<main>
${verdictBanner(data)}
<noscript><p class="notice">Charts, tables and the question drill-down need JavaScript; the verdict above does not.</p></noscript>
<div id="app"></div>
</main>
<script type="application/json" id="report-data">${jsonForScript(data)}</script>
<script>${chartJs}</script>
<script>${script}</script>
</body>
</html>
`;
}
