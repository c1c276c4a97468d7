import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/servers/port.ts';
import type { FaultyStore } from '../../src/store/consensus/faults.ts';
import { Canary } from '../../src/watch/canary.ts';
import { formatPoll } from '../../src/watch/format.ts';
import { parseRules, type RulesInput } from '../../src/watch/rules.ts';
import { Watcher, type PollReport } from '../../src/watch/watcher.ts';
import { startTestService, type TestService } from '../serve/helpers.ts';
import { drive } from './helpers.ts';

const GOLDEN = 'test/fixtures/golden-mini';
const services: TestService[] = [];
afterAll(async () => {
  await Promise.all(services.map((s) => s.close()));
});

async function service(store: unknown, retriever?: string): Promise<TestService> {
  const s = await startTestService({ pipeline: { store: store as never, ...(retriever && { retriever }) } });
  services.push(s);
  return s;
}

/** The canary's accuracy on a service, over every canary question once: the A/A baseline. */
async function measuredAccuracy(base: string): Promise<number> {
  const canary = await Canary.load({ golden: GOLDEN, questions: 100, perPoll: 100, k: 5, baseline: { accuracy: 0 } });
  const probes = await canary.probe(base, 20_000);
  expect(probes.every((p) => p.correct !== null)).toBe(true);
  return probes.reduce((a, p) => a + (p.correct ?? 0), 0) / probes.length;
}

function rules(overrides: Partial<RulesInput>): ReturnType<typeof parseRules> {
  return parseRules({ version: 1, pollSeconds: 0.4, consecutive: 2, service: { timeoutMs: 10_000, maxUnreachableSeconds: 10 }, action: { command: ['true'] }, triggers: [], ...overrides }, 'test rules', process.cwd());
}

describe('Watcher over a real service', () => {
  it('A/A: a healthy consensus service is "insufficient data" until its windows fill, then passes every rule and never fires', async () => {
    const svc = await service({ name: 'consensus', fsync: false, backends: [{ store: 'faiss-flat' }, { store: 'exact' }] });
    const accuracy = await measuredAccuracy(svc.address);
    expect(accuracy).toBeGreaterThan(0.5);
    const window = 1.6;
    const watcher = await Watcher.create({
      service: svc.address,
      rules: rules({
        triggers: [
          { name: 'p95', metric: 'p95_latency_seconds', comparison: 'above', threshold: 2, windowSeconds: window, minSamples: 10 },
          { name: 'errors', metric: 'error_rate', comparison: 'above', threshold: 0.02, windowSeconds: window, minSamples: 10 },
          { name: 'accuracy', metric: 'accuracy_drop', comparison: 'above', threshold: 0.05, windowSeconds: window, minSamples: 6 },
          { name: 'agreement', metric: 'consensus_agreement', comparison: 'below', threshold: 0.9, windowSeconds: window, minSamples: 2 },
          { name: 'hits', metric: 'cache_hit_ratio', comparison: 'below', threshold: 0.3, windowSeconds: window, minSamples: 10 },
        ],
        canary: { golden: GOLDEN, questions: 100, perPoll: 4, baseline: { accuracy } },
      }),
    });
    // 20 distinct questions asked over and over: after the first round, the cache answers.
    const load = drive(svc.address, 3, 20);
    const reports: PollReport[] = [];
    const end = await watcher.run((r) => reports.push(r), { forSeconds: 6 }).finally(() => load.stop());
    expect(end).toMatchObject({ reason: 'stopped', fired: [] });
    expect(reports[0]?.statuses.map((s) => s.state)).toEqual(['insufficient', 'insufficient', 'insufficient', 'insufficient', 'insufficient']);
    expect(reports[0]?.statuses[0]?.reason).toMatch(/^window: 0\.0 s of 1\.6 s watched$/);
    const judged = reports.filter((r) => r.statuses.every((s) => s.state === 'ok'));
    expect(judged.length, JSON.stringify(reports.map((r) => r.statuses.map((s) => [s.trigger, s.state, s.value, s.samples, s.reason])))).toBeGreaterThanOrEqual(3);
    expect(reports.flatMap((r) => r.statuses).some((s) => s.state === 'breach')).toBe(false);
    const last = judged.at(-1)!.statuses;
    expect(last.find((s) => s.trigger === 'agreement')?.value).toBe(1);
    expect(last.find((s) => s.trigger === 'hits')?.value).toBeGreaterThan(0.5);
    expect(last.find((s) => s.trigger === 'accuracy')?.test).toMatchObject({ alpha: 0.05, baseline: accuracy });
    // What the CLI prints for such polls.
    expect(formatPoll(reports[0]!)).toMatch(/^\d\d:\d\d:\d\d poll 1 \| p95 insufficient data \(window: 0\.0 s of 1\.6 s watched\) \| errors insufficient data/);
    expect(formatPoll(judged.at(-1)!)).toMatch(/ \| p95 ok \d+\.\d ms \(fires > 2000\.0 ms\) n=\d+ \| errors ok 0\.000 \(fires > 0\.020\) n=\d+ \| accuracy ok -?\d\.\d{3} \(fires > 0\.050\) n=\d+ p=[\d.e-]+ \| agreement ok 1\.000 \(fires < 0\.900\) n=\d+ \| hits ok [01]\.\d{3} \(fires < 0\.300\) n=\d+$/);
  }, 120_000);

  it('fires accuracy_drop on a store that answers from the wrong documents, significantly, and runs the action once', async () => {
    const healthy = await service('faiss-flat', 'dense');
    const accuracy = await measuredAccuracy(healthy.address);
    const liar = await service({ name: 'faulty', store: 'faiss-flat', byzantine: { mode: 'other-document' } }, 'dense');
    const watcher = await Watcher.create({
      service: liar.address,
      rules: rules({
        triggers: [{ name: 'accuracy', metric: 'accuracy_drop', comparison: 'above', threshold: 0.1, alpha: 0.01, windowSeconds: 2, minSamples: 8 }],
        canary: { golden: GOLDEN, questions: 100, perPoll: 6, baseline: { accuracy } },
      }),
    });
    const reports: PollReport[] = [];
    const end = await watcher.run((r) => reports.push(r), { forSeconds: 30 });
    expect(end.reason).toBe('rolled-back');
    expect(end.fired).toHaveLength(1);
    const record = end.fired[0]!;
    expect(record).toMatchObject({ trigger: 'accuracy', metric: 'accuracy_drop', consecutive: 2, action: { ok: true, command: { argv: ['true'], exitCode: 0 } } });
    expect(record.value).toBeGreaterThan(0.1);
    expect(record.test?.pValue).toBeLessThan(0.01);
    expect(record.samples).toBeGreaterThanOrEqual(8);
    // The poll before fired was the first breach: two in a row, not one unlucky probe.
    expect(reports.at(-2)?.statuses[0]).toMatchObject({ state: 'breach', streak: 1 });
  }, 120_000);
});

describe('Watcher: the error rate', () => {
  it('fires on a store that crashed (every query 502), with the 5xx share of POST /query as its value', async () => {
    const svc = await service({ name: 'faulty', store: 'faiss-flat' }, 'dense');
    (svc.pipeline.store as FaultyStore).setFaults({ crash: { afterCalls: 0 } });
    const watcher = await Watcher.create({
      service: svc.address,
      rules: rules({
        cooldownSeconds: 60,
        triggers: [
          { name: 'errors', metric: 'error_rate', comparison: 'above', threshold: 0.02, windowSeconds: 0.8, minSamples: 10 },
          { name: 'p95', metric: 'p95_latency_seconds', comparison: 'above', threshold: 2, windowSeconds: 0.8, minSamples: 10 },
        ],
      }),
      keepWatching: true,
    });
    const load = drive(svc.address, 2);
    const reports: PollReport[] = [];
    const end = await watcher.run((r) => reports.push(r), { forSeconds: 4 }).finally(() => load.stop());
    // Fired once, then the cooldown held every later breach back.
    expect(end.reason).toBe('rolled-back');
    expect(end.fired).toHaveLength(1);
    expect(end.fired[0]).toMatchObject({ trigger: 'errors', metric: 'error_rate', value: 1, consecutive: 2 });
    const after = reports.slice(reports.findIndex((r) => r.fired) + 1);
    expect(after.length).toBeGreaterThan(0);
    expect(after.every((r) => !r.fired && r.cooldownSeconds > 0)).toBe(true);
    expect(formatPoll(after.at(-1)!)).toMatch(/ \| cooldown \d+ s$/);
  }, 60_000);
});

describe('Watcher: a service that does not answer', () => {
  it('reports every poll as unreachable with the reason, judges nothing, and ends after the allowed outage', async () => {
    const port = await freePort();
    const watcher = await Watcher.create({
      service: `http://127.0.0.1:${port}/`,
      rules: rules({
        pollSeconds: 0.2,
        service: { timeoutMs: 1000, maxUnreachableSeconds: 0.5 },
        triggers: [{ name: 'p95', metric: 'p95_latency_seconds', comparison: 'above', threshold: 2, windowSeconds: 1, minSamples: 1 }],
      }),
    });
    const reports: PollReport[] = [];
    const end = await watcher.run((r) => reports.push(r), { forSeconds: 30 });
    expect(end.reason).toBe('unreachable');
    expect(end.message).toMatch(new RegExp(`^service unreachable for \\d\\.\\d s \\(the rules allow 0\\.5 s\\): http://127\\.0\\.0\\.1:${port}/metrics: ECONNREFUSED$`));
    expect(reports.length).toBeGreaterThanOrEqual(3);
    expect(reports.every((r) => !r.reachable && r.statuses[0]?.state === 'insufficient' && r.statuses[0].reason === 'service unreachable')).toBe(true);
    expect(reports.at(-1)!.unreachableSeconds).toBeGreaterThan(0.5);
  });
});
