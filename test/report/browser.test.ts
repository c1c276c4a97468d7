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
import { hostileQueries, hostileSummary } from './hostile.ts';

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
  'latency: { samples: 30, rounds: 3 }',
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
    const failed = gate.verdict.checks.filter((c) => !c.pass);
    expect(failed.map((c) => [c.run, c.metric])).toEqual([[degraded?.id, 'accuracy.semanticAccuracy']]);
    expect(failed[0]?.value).toBeLessThan(0.8);
    const onDisk = JSON.parse(await readFile(join(run.dir, 'summary.json'), 'utf8'));
    expect(onDisk.verdict).toEqual(gate.verdict);
    expect(await readFile(join(run.dir, 'junit.xml'), 'utf8')).toContain('<failure message=');
  });

  it('opens offline, runs no document script, and shows verdict, charts and drill-down', async () => {
    const { page, seen } = await open(realReport);
    try {
      await expectClean(page, seen, realReport);
      await expect(page.locator('#verdict .decision').textContent()).resolves.toBe('NO-GO');
      await expect(page.locator('#verdict .failures li').first().textContent()).resolves.toContain('accuracy.semanticAccuracy >= 0.80');
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
      expect(parsed.failures).toHaveLength(1);
      expect(parsed.failures[0]).toMatch(/accuracy\.semanticAccuracy = 0\.\d{3}, expected >= 0\.800$/);
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
      const table = page.locator('#configurations table');
      await table.locator('th', { hasText: 'p95 latency' }).click();
      await expect(table.locator('tbody tr td:first-child').allTextContents()).resolves.toEqual([
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
