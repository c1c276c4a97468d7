import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as hdr from 'hdr-histogram-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/gate/index.ts';
import { runSuite } from '../../src/suite/runner.ts';
import type { ProgressSink } from '../../src/suite/progress.ts';
import { SummarySchema, type RunResult, type Summary } from '../../src/summary/schema.ts';
import { loadSection } from '../../src/report/load.ts';


/** A load suite small enough for a test: the real service, real autocannon, the mini golden set. */
function suiteText(extra: string[] = []): string {
  return [
    'name: load-mini',
    `golden: ${resolve('test/fixtures/golden-mini')}`,
    'split: all',
    'latency: { samples: 20, rounds: 1 }',
    'runs:',
    '  - { name: dense, extractor: mupdf, chunker: sentence, retriever: dense }',
    'load:',
    '  concurrency: [1, 2]',
    '  gateAt: 2',
    '  stepSeconds: 1',
    '  warmupRequests: 200',
    '  zipf: { questions: 6, requests: 1500 }',
    '  hitQuestions: 2',
    '  keepSamples: 300',
    '  soak: { seconds: 2, concurrency: 2, rssGrowthMaxMiB: 256, sampleEveryMs: 200 }',
    ...extra,
  ].join('\n');
}

async function writeSuite(text: string): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'ragbench-load-'));
  const file = join(dir, 'suite.yml');
  await writeFile(file, text);
  return { dir, file };
}

async function answers(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

describe('a load suite: ragbench serve driven by autocannon, figures in summary.json, report and gate', () => {
  let summary: Summary;
  let run: RunResult;
  let dir: string;

  beforeAll(async () => {
    const suite = await writeSuite(suiteText());
    dir = suite.dir;
    ({ summary } = await runSuite({ suiteFile: suite.file, outDir: join(dir, 'reports'), cacheDir: join(dir, 'cache') }));
    run = summary.runs[0] as RunResult;
  }, 240_000);

  it('runs /health and every mix at every concurrency, all answered 200', () => {
    expect(run.status, run.error).toBe('completed');
    expect(SummarySchema.safeParse(summary).success).toBe(true);
    const steps = run.load?.steps ?? [];
    expect(steps.map((s) => `${s.mix}@${s.concurrency}`)).toEqual(['health@1', 'zipf@1', 'unique@1', 'hits@1', 'health@2', 'zipf@2', 'unique@2', 'hits@2']);
    for (const s of steps) {
      expect(s.requests, s.mix).toBeGreaterThan(0);
      expect(s.statusCodes, s.mix).toEqual({ 200: s.requests });
      expect(s.errors + s.timeouts + s.non2xx).toBe(0);
      expect(Math.abs(s.rps - s.requests / s.seconds) / s.rps).toBeLessThan(0.01);
      // Zipf steps end at their request count: every run asks the same questions.
      if (s.mix === 'zipf') expect([s.requests, s.boundedBy]).toEqual([1500, 'requests']);
      expect(s.latencyMs.p50Ms).toBeLessThanOrEqual(s.latencyMs.p95Ms);
      expect(s.latencyMs.p95Ms).toBeLessThanOrEqual(s.latencyMs.p99Ms);
      // The step's HDR histogram holds every response.
      const h = hdr.decodeFromCompressedBase64(s.histogram);
      expect(h.totalCount).toBe(s.requests);
      expect(h.getValueAtPercentile(95) / 1000).toBeCloseTo(s.latencyMs.p95Ms, 1);
      if (s.mix !== 'health') expect(s.ceilingRatio).toBeCloseTo(s.rps / (steps.find((x) => x.mix === 'health' && x.concurrency === s.concurrency)?.rps ?? NaN), 2);
    }
  });

  it('unique questions are all computed, hits all served from the cache, the zipf mix mostly cached', () => {
    const steps = run.load?.steps ?? [];
    for (const s of steps.filter((x) => x.mix === 'unique')) {
      // Every question new to the service: nothing hit its cache, every request computed once.
      expect(s.server).toMatchObject({ hits: 0, misses: s.requests, computed: s.requests, hitRatio: 0, rejected: 0 });
      expect(s.server?.stageP50Ms.embed).toBeGreaterThan(0);
    }
    for (const s of steps.filter((x) => x.mix === 'hits')) expect(s.server).toMatchObject({ misses: 0, computed: 0, hitRatio: 1 });
    const zipf = steps.find((x) => x.mix === 'zipf' && x.concurrency === 2);
    expect(zipf?.server?.hitRatio).toBeGreaterThan(0.9);
    expect(run.load?.saturation?.boundBy).toMatch(/^(embed|search|merge) \(p50/);
  });

  it('summarises the gated step and the cache, with samples for the gate\'s bootstrap', () => {
    const load = run.load;
    const gated = load?.steps.find((s) => s.mix === 'zipf' && s.concurrency === 2);
    expect(load).toMatchObject({ version: 1, gateAt: 2, p95Ms: gated?.latencyMs.p95Ms, rps: gated?.rps, errorRate: 0 });
    expect(load?.samplesMs.length).toBe(Math.min(300, gated?.requests ?? 0));
    const health = load?.steps.find((s) => s.mix === 'health' && s.concurrency === 2);
    expect(load?.calibration).toEqual({ workload: 'GET /health at 2 connections', samplesMs: expect.any(Array) });
    expect(load?.calibration?.samplesMs.length).toBe(Math.min(300, health?.requests ?? 0));
    expect(load?.healthCeilingRps).toBe(Math.max(...(load?.steps.filter((s) => s.mix === 'health').map((s) => s.rps) ?? [])));
    const hits = load?.steps.find((s) => s.mix === 'hits' && s.concurrency === 2);
    expect(run.cache).toMatchObject({ version: 1, gateAt: 2, hitRatio: gated?.server?.hitRatio, hitP95Ms: hits?.latencyMs.p95Ms, hitRps: hits?.rps });
    expect(run.cache?.missP95Ms).toBeGreaterThan(run.cache?.hitP95Ms ?? Infinity);
    expect(load?.service.readySeconds).toBeGreaterThan(0);
  });

  it('soaks with the RSS sampled, growth judged against the stated bound', () => {
    const soak = run.load?.soak;
    expect(soak?.rss.length).toBeGreaterThanOrEqual(5);
    expect(soak?.rssGrowthBoundBytes).toBe(256 * 2 ** 20);
    expect(soak?.growthOfBound).toBe(Math.round((Math.max(0, soak?.rssGrowthBytes ?? NaN) / (256 * 2 ** 20)) * 1000) / 1000);
    expect(soak?.requests).toBeGreaterThan(0);
  });

  it('stops the service it started, and keeps its config and log beside the summary', async () => {
    const log = await readFile(join(dir, 'reports', summary.runId, 'load-dense', 'service.log'), 'utf8');
    const url = /ready on (http:\/\/[^\s:]+:\d+):/.exec(log)?.[1] as string;
    expect(url).toBeDefined();
    expect(await answers(url)).toBe(false);
    const config = await readFile(join(dir, 'reports', summary.runId, 'load-dense', 'service.yml'), 'utf8');
    expect(config).toContain('port: 0');
    expect(config).toContain('retriever:');
  });

  it('the gate judges the load and cache targets on the measured values', () => {
    const verdict = evaluateGate(summary, {});
    const value = (metric: string) => verdict.checks.find((c) => c.metric === metric && c.source === 'default');
    expect(value('load.p95Ms')).toMatchObject({ value: run.load?.p95Ms, status: 'pass' });
    expect(value('load.errorRate')).toMatchObject({ value: 0, status: 'pass' });
    expect(value('cache.hitRatio')).toMatchObject({ value: run.cache?.hitRatio });
    expect(value('cache.hitP95Ms')).toMatchObject({ value: run.cache?.hitP95Ms, status: 'pass' });
    expect(value('load.soak.growthOfBound')).toMatchObject({ value: run.load?.soak?.growthOfBound, status: 'pass' });
    expect(value('load.rps')?.value).toBe(run.load?.rps);
  });

  it('the report section carries every step without the histograms', () => {
    const section = loadSection(summary);
    expect(section?.runs[0]?.steps).toHaveLength(8);
    expect(JSON.stringify(section)).not.toContain('"histogram"');
    expect(JSON.stringify(section)).not.toContain('hitSamplesMs');
  });
});

describe('a load suite stopped mid-load', () => {
  it('records the run as interrupted and leaves no service running', async () => {
    const suite = await writeSuite(suiteText().replace('stepSeconds: 1', 'stepSeconds: 30'));
    const controller = new AbortController();
    let abortedAt = Number.NaN;
    const progress: ProgressSink = {
      start: (label) => {
        // Abort once the 30-second steps are under way: the step in flight stops at once.
        if (label.endsWith(' load')) {
          setTimeout(() => {
            abortedAt = Date.now();
            controller.abort();
          }, 1500);
        }
        return { update() {}, stop() {} };
      },
      note() {},
    };
    const { summary } = await runSuite({ suiteFile: suite.file, outDir: join(suite.dir, 'reports'), cacheDir: join(suite.dir, 'cache'), progress, signal: controller.signal });
    expect(summary.runs[0]?.status).toBe('interrupted');
    // Not at the end of the 30-second step in flight: Ctrl-C stops autocannon and the service now.
    expect(Date.now() - abortedAt).toBeLessThan(12_000);
    const log = await readFile(join(suite.dir, 'reports', summary.runId, 'load-dense', 'service.log'), 'utf8');
    const url = /ready on (http:\/\/[^\s:]+:\d+):/.exec(log)?.[1] as string;
    expect(await answers(url)).toBe(false);
  }, 240_000);
});

describe('a load suite whose service config is invalid', () => {
  it('fails before any run, naming the file and the field', async () => {
    const suite = await writeSuite(suiteText(['  service: service.yml']));
    await writeFile(join(suite.dir, 'service.yml'), 'cache:\n  maxBytes: -1\n');
    await expect(runSuite({ suiteFile: suite.file, outDir: join(suite.dir, 'reports'), cacheDir: join(suite.dir, 'cache') })).rejects.toThrowError(
      /service\.yml: cache\.maxBytes/,
    );
  });
});

