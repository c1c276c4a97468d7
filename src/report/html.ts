import { createHash } from 'node:crypto';
import { formatValue } from '../gate/metrics.ts';
import { formatThreshold, headline } from '../gate/table.ts';
import type { GateCheck, RollbackTrigger, Verdict } from '../summary/schema.ts';
import { reportAssets, type ReportAssets } from './assets.ts';
import type { ReportData } from './data.ts';
import { assertInlineSafe, escapeHtml as h } from './escape.ts';
import { packData } from './pack.ts';

function cspHash(source: string): string {
  return `'sha256-${createHash('sha256').update(source, 'utf8').digest('base64')}'`;
}

/** Run ids are long configuration labels; checks and triggers show the run's short name, the id on hover. */
type RunNamer = (run: string) => string;

function runNamer(data: ReportData): RunNamer {
  const names = new Map<string, string>();
  for (const r of data.runs) {
    names.set(r.name, r.name);
    names.set(r.id, r.name);
  }
  return (run) => names.get(run) ?? run;
}

function runLabel(run: string, name: RunNamer): string {
  const short = name(run);
  return short === run ? `<span class="run">${h(run)}</span>` : `<span class="run" title="${h(run)}">${h(short)}</span>`;
}

function pText(p: number | null): string {
  if (p === null) return 'p n/a';
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

/** "McNemar exact, p = 0.210, interval [-0.02, 0.01], not significant at 0.05". */
export function testText(metric: string, test: NonNullable<GateCheck['test']> | NonNullable<RollbackTrigger['test']>): string {
  const interval = test.interval ? `, interval [${formatValue(metric, test.interval.low)}, ${formatValue(metric, test.interval.high)}]` : '';
  const verdict = 'significant' in test ? `, ${test.significant ? 'significant' : 'not significant'} at ${test.level}` : `, level ${test.level}`;
  return `${test.method}, ${pText(test.pValue)}${interval}${verdict}`;
}

function checkItem(c: GateCheck, name: RunNamer): string {
  const notes = [c.detail, c.test ? testText(c.metric, c.test) : undefined].filter((x): x is string => x !== undefined);
  return `<li>${runLabel(c.run, name)} <code>${h(c.name)}</code>: <b>${h(formatValue(c.metric, c.value))}</b>, expected ${h(formatThreshold(c))}${notes.length ? ` <span class="muted">(${h(notes.join('; '))})</span>` : ''}</li>`;
}

function triggerItem(t: RollbackTrigger, name: RunNamer): string {
  const samples = t.samples ? `, samples ${t.samples.current} vs ${t.samples.baseline}` : '';
  const noise = t.noise === undefined ? '' : `, noise allowance ${h(formatValue(t.metric, t.noise))}`;
  const test = t.test ? `; ${h(testText(t.metric, t.test))}` : '';
  return `<li>${runLabel(t.run, name)} <code>${h(t.metric)}</code>: <b>${h(formatValue(t.metric, t.value))}</b> vs baseline ${h(formatValue(t.metric, t.baseline))}, tolerance <code>${h(t.tolerance)}</code> (limit ${h(formatValue(t.metric, t.limit))}${noise}${samples}${test})</li>`;
}

const MODES: Record<NonNullable<Verdict['mode']>, string> = {
  local: 'local: target misses and regressions both block',
  nightly: 'nightly: regressions block, target misses are reported as warnings',
  predeploy: 'pre-deploy: target misses and regressions both block',
};

/** A check that failed but does not decide (status `warn`, or a non-blocking `fail`). */
export function isWarning(c: GateCheck): boolean {
  return c.status === 'warn' || (c.status === 'fail' && c.blocking === false);
}

/** The verdict, rendered on the server so it reads even where scripts are blocked. */
function verdictBanner(data: ReportData): string {
  const v = data.verdict;
  const name = runNamer(data);
  const failed = v.checks.filter((c) => c.status === 'fail' && !isWarning(c) && c.source !== 'baseline');
  const warned = v.checks.filter(isWarning);
  const go = v.decision === 'GO';
  return `<section id="verdict" class="verdict ${go ? 'go' : 'nogo'}">
  <div class="decision">${go ? 'GO' : 'NO-GO'}</div>
  <div class="verdict-body">
    <p class="headline">${h(headline(v))}</p>
    <p class="muted">Thresholds: ${h(data.verdictSource)}${v.mode ? ` · gate mode ${h(MODES[v.mode])}` : ''}${v.baseline ? ` · baseline run ${h(v.baseline.runId)} (${h(v.baseline.startedAt)})` : ''}</p>
    ${failed.length ? `<h3>Failed checks</h3><ul class="failures">${failed.map((c) => checkItem(c, name)).join('')}</ul>` : ''}
    ${v.triggers.length ? `<h3>Rollback triggers</h3><ul class="failures">${v.triggers.map((t) => triggerItem(t, name)).join('')}</ul>` : ''}
    ${warned.length ? `<details class="warned"><summary>${warned.length} check${warned.length === 1 ? '' : 's'} missed without blocking${v.mode ? ` in ${h(v.mode)} mode` : ''} (informational runs, or target misses where only regressions decide)</summary><ul class="failures warned">${warned.map((c) => checkItem(c, name)).join('')}</ul></details>` : ''}
    ${v.warnings.length ? `<details class="warnings"><summary>${v.warnings.length} warning${v.warnings.length === 1 ? '' : 's'}</summary><ul>${v.warnings.map((w) => `<li>${h(w)}</li>`).join('')}</ul></details>` : ''}
  </div>
</section>`;
}

/** "1000 of 4384 questions (test split, even sample; 493 answerable), 12 documents". */
function sampleLine(s: ReportData['summary']): string {
  const g = s.golden;
  const p = g.sample;
  const scored = p.size === g.questions ? `all ${g.questions} questions` : `${p.size} of ${g.questions} questions`;
  const how = [p.split === 'all' ? null : `${p.split} split`, p.method === 'all' ? null : `${p.method} sample`].filter((x) => x !== null);
  return `${scored} (${how.length ? `${how.join(', ')}; ` : ''}${p.answerable} answerable, ${p.unanswerable} unanswerable), ${g.documents} documents`;
}

const SECTIONS: [string, string][] = [
  ['verdict', 'Verdict'],
  ['rollbacks', 'Rollbacks'],
  ['migration', 'Migration'],
  ['charts', 'Charts'],
  ['configurations', 'Configurations'],
  ['stages', 'Stages'],
  ['extraction', 'Extraction'],
  ['consensus', 'Consensus'],
  ['backends', 'Backends'],
  ['load', 'Load'],
  ['scale', 'Scale'],
  ['compare', 'Compare'],
  ['checks', 'Checks'],
  ['baseline', 'Baseline'],
  ['routing', 'Routing'],
  ['questions', 'Questions'],
  ['method', 'Method'],
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
  const shown: Record<string, boolean> = { baseline: data.baseline !== undefined, consensus: data.consensus !== null, backends: data.backends !== null, load: data.load !== null, migration: data.migration !== null, rollbacks: data.rollbacks !== null, stages: data.stages !== null, extraction: data.extraction !== null, scale: data.scale !== null };
  const sections = SECTIONS.filter(([id]) => shown[id] ?? true);
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
    <p class="muted">Run <code>${h(s.runId)}</code> · ${h(s.startedAt)} → ${h(s.finishedAt)} · ${h(sampleLine(s))} · k = ${h(String(s.settings.k))}</p>
  </div>
  <nav>${sections.map(([id, label]) => `<a href="#${id}">${label}</a>`).join('')}</nav>
</header>
<main>
${verdictBanner(data)}
<noscript><p class="notice">Charts, tables and the question drill-down need JavaScript; the verdict above does not.</p></noscript>
<div id="app"><p class="muted" id="loading">Inflating the report's data…</p></div>
</main>
<script type="application/octet-stream" id="report-data" data-encoding="gzip+base64">${packData(data)}</script>
<script>${chartJs}</script>
<script>${script}</script>
</body>
</html>
`;
}
