import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyGate, parseThresholds, type GateRunResult } from '../../src/gate/index.ts';
import { writeReport } from '../../src/report/index.ts';
import { runSuite, type SuiteRun } from '../../src/suite/runner.ts';
import { makeRun, makeSummary } from '../gate/fixtures.ts';
import { BACKENDS, backendRun, consensusSummary, skippedPinecone } from './consensus-fixtures.ts';
import { PAYLOADS, hostileQueries, hostileSummary } from './hostile.ts';
import { defaultSuiteLoad, type Load } from './load.ts';

/**
 * The report in a real browser (Debian's chromium): built from a real run over golden-mini,
 * whose PDFs contain <script> tags, and from a synthetic summary with hostile text in every
 * field. No script of the documents may run, the charts must draw, and the drill-down must
 * show the hostile text as text.
 */

const OUT = resolve('test-output');
const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const SUITE = [
  'name: report-browser',
  'k: 3',
  'latency: { samples: 60, rounds: 3 }',
  'defaults: { extractor: mupdf }',
  'runs:',
  '  - { retriever: bm25 }',
  '  - { retriever: hybrid }',
  '  # Deliberately degraded: 12-character chunks cannot hold an answer with its context.',
  '  - { retriever: bm25, chunker: { name: fixed, size: 12, overlap: 0 } }',
  'thresholds:',
  '  latency.p95Ms: "< 1000"',
  '  accuracy.semanticAccuracy: ">= 0.80"',
].join('\n');

interface Observed {
  dialogs: string[];
  errors: string[];
  requests: string[];
}

let browser: Browser;
let work: string;
let run: SuiteRun;
let gate: GateRunResult;
let realReport: string;
let hostileReport: string;
let defaultSize: Load;
let defaultSizeReport: string;

/** Opens a report, recording dialogs, page errors, console errors, CSP violations and requests. */
async function open(file: string): Promise<{ page: Page; seen: Observed }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const seen: Observed = { dialogs: [], errors: [], requests: [] };
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => seen.errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') seen.errors.push(`console: ${m.text()}`);
  });
  page.on('request', (r) => seen.requests.push(r.url()));
  // Runs in the page before its scripts (source text: the project compiles without DOM types).
  await page.addInitScript({
    content: `window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ': ' + e.sample));`,
  });
  await page.goto(pathToFileURL(file).href);
  // A broken page never sets the flag: let expectClean say what happened instead of a timeout.
  await page.waitForSelector('html[data-rendered="true"]', { timeout: 15_000 }).catch(() => undefined);
  return { page, seen };
}

/** Nothing ran that the report did not ship, and nothing was fetched. */
async function expectClean(page: Page, seen: Observed, file: string): Promise<void> {
  expect(seen.dialogs).toEqual([]);
  expect(seen.errors).toEqual([]);
  expect(seen.requests).toEqual([pathToFileURL(file).href]);
  expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
  expect(await page.evaluate('window.__csp')).toEqual([]);
  // The only script elements are the report's own three.
  expect(await page.locator('script').count()).toBe(3);
  expect(await page.locator('#app script, #app img, #app svg, #app iframe').count()).toBe(0);
  expect(await page.evaluate('document.documentElement.dataset.rendered')).toBe('true');
}

/** Share of each chart canvas's pixels that were drawn. */
async function canvasInk(page: Page): Promise<number[]> {
  return page.evaluate(`[...document.querySelectorAll('canvas')].map((c) => {
    const ctx = c.getContext('2d');
    if (!ctx || c.width === 0 || c.height === 0) return 0;
    const px = ctx.getImageData(0, 0, c.width, c.height).data;
    let drawn = 0;
    for (let i = 3; i < px.length; i += 4) if (px[i] > 0) drawn++;
    return drawn / (c.width * c.height);
  })`);
}

beforeAll(async () => {
  await mkdir(OUT, { recursive: true });
  work = await mkdtemp(join(tmpdir(), 'ragbench-report-browser-'));
  const suiteFile = join(work, 'suite.yml');
  await writeFile(suiteFile, SUITE);
  run = await runSuite({ suiteFile, golden: 'test/fixtures/golden-mini', outDir: join(work, 'reports'), cacheDir: join(work, 'cache') });
  gate = await applyGate(run.dir, run.summary, { thresholds: parseThresholds(SUITE, suiteFile) });
  realReport = await writeReport(run.dir, gate.summary, run.records, { out: join(OUT, 'report-golden-mini.html') });

  const hostile = hostileSummary();
  const baseline = makeSummary(
    hostile.runs.map((r) => (r.id === 'hybrid-hnsw' ? makeRun(r.id, { latency: { p95Ms: 45, roundP95Ms: [44, 45, 46] } }) : r)),
    { runId: 'previous-night' },
  );
  hostileReport = await writeReport(work, hostile, hostileQueries(hostile), { baseline, out: join(OUT, 'report-hostile.html') });
  defaultSize = defaultSuiteLoad();
  defaultSizeReport = await writeReport(work, defaultSize.summary, defaultSize.queries, { out: join(OUT, 'report-default-size.html') });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
});

afterAll(async () => {
  await browser?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('report from a real run on golden-mini (PDFs with <script> in their text)', () => {
  it('gates the degraded configuration NO-GO on the right check, and writes verdict and JUnit', async () => {
    const degraded = run.summary.runs.find((r) => r.config.chunker.startsWith('fixed'));
    expect(degraded?.status).toBe('completed');
    expect(gate.verdict.decision).toBe('NO-GO');
    // Only the degraded run fails, and it fails on answering (its citations may fail too: no chunk holds an answer).
    const failed = gate.verdict.checks.filter((c) => !c.pass);
    expect(new Set(failed.map((c) => c.run))).toEqual(new Set([degraded?.id]));
    const semantic = failed.find((c) => c.metric === 'accuracy.semanticAccuracy');
    expect(semantic?.value).toBeLessThan(0.8);
    const onDisk = JSON.parse(await readFile(join(run.dir, 'summary.json'), 'utf8'));
    expect(onDisk.verdict).toEqual(gate.verdict);
    expect(await readFile(join(run.dir, 'junit.xml'), 'utf8')).toContain('<failure message=');
  });

  it('opens offline, runs no document script, and shows verdict, charts and drill-down', async () => {
    const { page, seen } = await open(realReport);
    try {
      await expectClean(page, seen, realReport);
      await expect(page.locator('#verdict .decision').textContent()).resolves.toBe('NO-GO');
      const degraded = run.summary.runs.find((r) => r.config.chunker.startsWith('fixed'));
      const items = await page.locator('#verdict .failures li').allTextContents();
      expect(items.some((t) => t.startsWith(`${degraded?.name} accuracy.semanticAccuracy >= 0.80`))).toBe(true);
      const ink = await canvasInk(page);
      expect(ink.length).toBe(4);
      for (const share of ink) expect(share).toBeGreaterThan(0.01);
      await page.screenshot({ path: join(OUT, 'report-golden-mini.png') });

      // The question whose gold answer is a script tag: shown as text, answer marked.
      await page.fill('#filter-text', 'paste into the comment');
      await page.selectOption('#filter-metric', '');
      const card = page.locator('details.q').first();
      await expect(card.locator('.q-text').textContent()).resolves.toBe('What did the tester paste into the comment field?');
      await expect(card.locator('.q-body mark').first().textContent()).resolves.toBe('<script>alert("pwned")</script>');
      const quotes = await card.locator('.quote').allTextContents();
      expect(quotes.some((q) => q.includes('<script>alert("pwned")</script>'))).toBe(true);
      await card.screenshot({ path: join(OUT, 'report-golden-mini-question.png') });
      await expectClean(page, seen, realReport);
    } finally {
      await page.close();
    }
  });

  it('is valid JUnit XML to a real XML parser', async () => {
    const page = await browser.newPage();
    try {
      const xml = await readFile(join(run.dir, 'junit.xml'), 'utf8');
      const parsed = await page.evaluate<{ error: string | null; cases: number; failures: (string | null)[] }>(`(() => {
        const doc = new DOMParser().parseFromString(${JSON.stringify(xml)}, 'application/xml');
        return {
          error: doc.querySelector('parsererror')?.textContent ?? null,
          cases: doc.querySelectorAll('testsuite > testcase').length,
          failures: [...doc.querySelectorAll('testcase > failure')].map((f) => f.getAttribute('message')),
        };
      })()`);
      expect(parsed.error).toBeNull();
      expect(parsed.cases).toBe(gate.verdict.checks.length);
      expect(parsed.failures.length).toBe(gate.verdict.checks.filter((c) => !c.pass).length);
      expect(parsed.failures.some((f) => /accuracy\.semanticAccuracy = 0\.\d{3}, expected >= 0\.800$/.test(f ?? ''))).toBe(true);
    } finally {
      await page.close();
    }
  });
});

describe('report with hostile text in every field', () => {
  it('runs none of it, renders it as text, and keeps sorting, filtering and paging working', async () => {
    const { page, seen } = await open(hostileReport);
    try {
      await expectClean(page, seen, hostileReport);
      await expect(page.locator('#verdict .decision').textContent()).resolves.toBe('NO-GO');
      await expect(page.locator('header h1').textContent()).resolves.toBe('hostile "><svg onload="window.__pwned = 4"> on mini');
      const ink = await canvasInk(page);
      expect(ink.length).toBe(6); // four charts plus two baseline-delta charts
      for (const share of ink) expect(share).toBeGreaterThan(0.01);

      // The drill-down opens on failures, 50 a page.
      expect(await page.locator('details.q').count()).toBe(50);
      await expect(page.locator('#questions .pager span').first().textContent()).resolves.toBe('Page 1 of 2 · 60 questions');
      const first = page.locator('details.q').first();
      await expect(first.locator('.q-text').textContent()).resolves.toBe('Question 0: </script><script>window.__pwned = 1; alert(1)</script> where is the capital?');
      await expect(first.locator('.q-body mark').allTextContents()).resolves.toContain('</script><script>window.__pwned = 1; alert(1)</script>');
      await expect(first.locator('.answer-citation .reason').textContent()).resolves.toBe(`: cites the wrong page: ${PAYLOADS[0]}`);
      await expect(page.locator('#method table code').first().textContent()).resolves.toBe(`retriever.denseWeight ${PAYLOADS[2]}`);
      await first.screenshot({ path: join(OUT, 'report-hostile-question.png') });
      await page.locator('#questions .pager button', { hasText: 'Next' }).first().click();
      expect(await page.locator('details.q').count()).toBe(10);
      await page.selectOption('#filter-run', 'bm25');
      await page.selectOption('#filter-metric', '');
      await expect(page.locator('#questions .pager span').first().textContent()).resolves.toBe('Page 1 of 2 · 60 questions');
      // Opening a closed card builds its body on demand, still as text.
      const later = page.locator('details.q').nth(3);
      await later.locator('summary').click();
      await expect(later.locator('.hit-head b').first().textContent()).resolves.toMatch(/^doc /);

      // Sorting: the p95 column, descending on first click.
      const table = page.locator('#configurations table').first();
      await table.locator('th', { hasText: 'p95 latency' }).click();
      await expect(table.locator('tbody tr td:first-child .run').allTextContents()).resolves.toEqual([
        'hybrid-hnsw', 'pdfjs-fixed-faiss', 'mupdf-sentence-faiss', 'bm25', 'errored <script>window.__pwned = 6</script>',
      ]);
      await page.screenshot({ path: join(OUT, 'report-hostile.png') });
      await page.screenshot({ path: join(OUT, 'report-hostile-full.png'), fullPage: true });
      await expectClean(page, seen, hostileReport);
    } finally {
      await page.close();
    }
  });
});

describe('report at the default suite size (12 runs × 1,000 questions × 5 hits)', () => {
  it('opens from disk, inflates its data and draws every chart within 2 s of navigation', async () => {
    const { page, seen } = await open(defaultSizeReport);
    try {
      await expectClean(page, seen, defaultSizeReport);
      // performance.now() in the page counts from navigation start.
      const timing = await page.evaluate<{ inflatedMs: number; parsedMs: number; drawnMs: number }>('window.__reportTiming');
      console.log(`default-size report: inflated at ${timing.inflatedMs.toFixed(0)} ms, parsed at ${timing.parsedMs.toFixed(0)} ms, drawn at ${timing.drawnMs.toFixed(0)} ms after navigation`);
      expect(timing.drawnMs).toBeGreaterThan(timing.parsedMs);
      expect(timing.drawnMs).toBeLessThan(2000);
      const ink = await canvasInk(page);
      expect(ink).toHaveLength(4);
      for (const share of ink) expect(share).toBeGreaterThan(0.01);
      // Error bars: semantic and citation accuracy of 12 runs on the accuracy chart, one per point on the scatter.
      const bars = await page.evaluate<string[]>(`[...document.querySelectorAll('canvas')].map((c) => c.dataset.errorBars ?? '')`);
      expect(bars).toEqual(['24', '0', '12', '0']);
      await page.screenshot({ path: join(OUT, 'report-default-size.png') });
    } finally {
      await page.close();
    }
  });

  it('shows short run names with the full configuration a click away, and intervals in the table', async () => {
    const { page, seen } = await open(defaultSizeReport);
    try {
      const first = defaultSize.summary.runs[0]!;
      const row = page.locator('#configurations table').first().locator('tbody tr').first();
      await expect(row.locator('.run').textContent()).resolves.toBe(first.name);
      await expect(row.locator('.run').getAttribute('title')).resolves.toContain(first.id);
      await expect(row.locator('.pill.info').textContent()).resolves.toBe('candidate');
      const iv = first.accuracy!.intervals.semanticAccuracy!;
      await expect(row.textContent()).resolves.toContain(`[${iv.low.toFixed(3)}, ${iv.high.toFixed(3)}]`);
      await row.locator('button.expand').click();
      await expect(page.locator('#configurations tr.detail code').first().textContent()).resolves.toBe(first.id);
      await expect(page.locator('#auroc-note').textContent()).resolves.toContain('the top-1 retrieval score barely tells answerable from unanswerable questions');
      await expectClean(page, seen, defaultSizeReport);
    } finally {
      await page.close();
    }
  });

  it('lists the questions two chosen runs disagree on, with b, c and the exact McNemar p', async () => {
    const { page, seen } = await open(defaultSizeReport);
    try {
      const [a, b] = [defaultSize.summary.runs[2]!, defaultSize.summary.runs[7]!];
      await page.selectOption('#compare-first', a.id);
      await page.selectOption('#compare-second', b.id);
      const sa = a.perQuestion!.semanticAccuracy!;
      const sb = b.perQuestion!.semanticAccuracy!;
      const onlyA = sa.filter((x, i) => x === 1 && sb[i] === 0).length;
      const onlyB = sa.filter((x, i) => x === 0 && sb[i] === 1).length;
      await expect(page.locator('#compare-result .count-b').textContent()).resolves.toBe(`b = ${onlyA}`);
      await expect(page.locator('#compare-result .count-c').textContent()).resolves.toBe(`c = ${onlyB}`);
      await expect(page.locator('#compare-result .p-value').textContent()).resolves.toMatch(/^Exact McNemar p = (0\.\d{3}|< 0\.001|1\.000)$/);
      await expect(page.locator('#compare-result .list-b h3').textContent()).resolves.toBe(`Only ${a.name} right (${onlyA})`);
      // Open the first disagreement: both runs' hits, the right one first.
      const card = page.locator('#compare-result .list-b details.q').first();
      await card.locator('summary').click();
      await card.locator('.q-side > h4').first().waitFor();
      await expect(card.locator('.q-side > h4').allTextContents()).resolves.toEqual([`${a.name} — right`, `${b.name} — wrong`]);
      const qid = await card.locator('.q-run').textContent();
      const record = defaultSize.queries.find((q) => q.run === a.id && q.questionId === qid);
      await expect(card.locator('.q-text').textContent()).resolves.toBe(record?.question);
      await card.screenshot({ path: join(OUT, 'report-default-size-compare.png') });
      await expectClean(page, seen, defaultSizeReport);
    } finally {
      await page.close();
    }
  });
});

describe('consensus and backend sections (the real consensus suite\u2019s summary, backend figures, hostile ids and reasons)', () => {
  let consensusReport: string;
  let backendsReport: string;

  beforeAll(async () => {
    consensusReport = await writeReport(work, consensusSummary(), [], { out: join(OUT, 'report-consensus.html') });
    const backends = makeSummary([...BACKENDS.map(backendRun), skippedPinecone()], { suite: { name: 'backends', file: 'suites/backends.yml' } });
    backendsReport = await writeReport(work, backends, [], { out: join(OUT, 'report-backends.html') });
  });

  /** A section's picture without the sticky header printed over it. */
  async function sectionShot(page: Page, id: string, file: string): Promise<void> {
    await page.addStyleTag({ content: '.top { position: static !important; }' });
    await page.locator(`#${id}`).screenshot({ path: join(OUT, file) });
  }

  /** Ink of the canvases inside one section. */
  async function sectionInk(page: Page, id: string): Promise<number[]> {
    const all = await canvasInk(page);
    const inSection = await page.evaluate<boolean[]>(`[...document.querySelectorAll('canvas')].map((c) => !!c.closest('#${id}'))`);
    return all.filter((_, i) => inSection[i]);
  }

  it('draws the consensus section: scenarios, charts, the quorum note for two liars of five, lost ids as text', async () => {
    const { page, seen } = await open(consensusReport);
    try {
      await expectClean(page, seen, consensusReport);
      const s = page.locator('#consensus');
      const rows = s.locator('table').first().locator('tbody > tr');
      await expect(rows.count()).resolves.toBe(8);
      await expect(rows.locator('td:first-child .run').allTextContents()).resolves.toEqual([
        'healthy', 'one-crashed', 'one-slow', 'one-byzantine', 'two-byzantine-of-five', 'down-during-ingest', 'lost-wal', 'with-pinecone',
      ]);
      const five = rows.nth(4);
      await expect(five.locator('td').nth(1).textContent()).resolves.toBe('0.963');
      await expect(five.locator('td').nth(2).textContent()).resolves.toBe('0.9962 no quorum · 0 unanswered');
      await expect(five.locator('td').nth(9).textContent()).resolves.toBe('liar-1 after 4liar-2 after 4');
      // The backend down during ingest: nothing lost, its 10 missed writes still in its write-ahead log.
      await expect(rows.nth(5).locator('td').nth(10).textContent()).resolves.toBe('0WAL 10 / 0 / 10');
      // The lossy scenario: 12 questions lost against the fault-free run, exact McNemar p < 0.001, 3 chunks lost.
      const lossy = rows.nth(6);
      await expect(lossy.locator('td').nth(5).textContent()).resolves.toBe('−0.079b 0 / c 12 · p < 0.001');
      await expect(lossy.locator('td').nth(10).getAttribute('class')).resolves.toContain('bad');
      await expect(rows.nth(7).locator('.pill').textContent()).resolves.toBe('skipped');

      const notes = s.locator('.quorum-note');
      await expect(notes.count()).resolves.toBe(1);
      await expect(notes.locator('p').first().textContent()).resolves.toBe(
        'two-byzantine-of-five: 3 of 5 backends are healthy, holding 3/5 of the weight, less than the quorum (2/3): the 2 faulty backends (liar-1, liar-2) are more than this quorum tolerates.',
      );
      await expect(notes.locator('ul.can li').first().textContent()).resolves.toMatch(/^No lie is certified\./);
      await expect(notes.locator('ul.cannot li').nth(2).textContent()).resolves.toMatch(/^Truth\. A quorum certifies agreement, not correctness/);
      await expect(s.locator('.lost-ids code').allTextContents()).resolves.toEqual(['doc-7#12', PAYLOADS[0], PAYLOADS[1]]);

      const ink = await sectionInk(page, 'consensus');
      expect(ink).toHaveLength(2);
      for (const share of ink) expect(share).toBeGreaterThan(0.01);

      // Per backend: open the two-liars scenario.
      await five.locator('button.expand').click();
      const detail = s.locator('tr.detail').first();
      const backends = detail.locator('table tbody tr');
      await expect(backends.locator('td:first-child').allTextContents()).resolves.toEqual(['exact', 'faiss-flat', 'hnswlib', 'liar-1', 'liar-2']);
      await expect(backends.nth(3).locator('.pill').textContent()).resolves.toBe('suspect');
      await expect(backends.nth(3).locator('td').nth(2).textContent()).resolves.toBe('byzantine (mode random-ids)');
      await expect(backends.nth(3).locator('td').nth(6).textContent()).resolves.toBe('4 queries');
      await sectionShot(page, 'consensus', 'report-consensus.png');

      // The skipped scenario shows in the configurations table as skipped, with its reason as text.
      const config = page.locator('#configurations table').first();
      await expect(config.locator('tbody tr', { hasText: 'with-pinecone' }).locator('.pill.na').textContent()).resolves.toBe('skipped');
      await expect(page.locator('#configurations ul.skipped .reason').textContent()).resolves.toBe(
        `pinecone: PINECONE_API_KEY is not set; the run is skipped, not faked ${PAYLOADS[0]}`,
      );
      await expect(page.locator('#configurations h3', { hasText: 'Errors' }).count()).resolves.toBe(0);
      await expectClean(page, seen, consensusReport);
    } finally {
      await page.close();
    }
  });

  it('draws recall@10 against queries/s, one point per backend, queries/s on a log axis', async () => {
    const { page, seen } = await open(backendsReport);
    try {
      await expectClean(page, seen, backendsReport);
      const ink = await sectionInk(page, 'backends');
      expect(ink).toHaveLength(1);
      expect(ink[0]).toBeGreaterThan(0.01);
      const chart = await page.evaluate<{ points: { x: number; y: number; name: string }[]; yType: string; xTitle: string }>(`(() => {
        const c = Chart.getChart(document.querySelector('#backends canvas'));
        return { points: c.data.datasets[0].data.map((p) => ({ x: p.x, y: p.y, name: p.name })), yType: c.scales.y.type, xTitle: c.options.scales.x.title.text };
      })()`);
      expect(chart.points).toEqual(BACKENDS.map((b) => ({ x: b.recall, y: b.qps, name: b.store })));
      expect(chart.yType).toBe('logarithmic');
      expect(chart.xTitle).toBe('recall@10 vs exact search');
      const rows = page.locator('#backends table tbody tr');
      await expect(rows.count()).resolves.toBe(BACKENDS.length + 1);
      await expect(rows.nth(5).locator('td').allTextContents()).resolves.toEqual([
        'pgvector', 'pgvector', '701', '0.962', '880.0', '8.70 ms', '14.9 ms', '22.3 ms', '2', '39.1 s', '33.5 ms', `0.536[0.456, 0.616]`,
      ]);
      await expect(rows.nth(6).locator('.run').textContent()).resolves.toBe(`pinecone ${PAYLOADS[3]}`);
      await expect(page.locator('#backends ul.skipped .reason').textContent()).resolves.toBe(
        `pinecone: PINECONE_API_KEY is not set; the run is skipped, not faked ${PAYLOADS[1]}`,
      );
      await sectionShot(page, 'backends', 'report-backends.png');
      await expectClean(page, seen, backendsReport);
    } finally {
      await page.close();
    }
  });
});
