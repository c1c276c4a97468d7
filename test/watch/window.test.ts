import { describe, expect, it } from 'vitest';
import { ServiceMetrics } from '../../src/serve/metrics.ts';
import { evaluateRule } from '../../src/watch/evaluate.ts';
import { parseExposition } from '../../src/watch/prometheus.ts';
import { parseRules, type Trigger } from '../../src/watch/rules.ts';
import { cacheHitRatio, consensusAgreement, errorRate, p95Latency, queryRequests, toScrape, windowOf, type Scrape } from '../../src/watch/window.ts';

/** The service's own metrics registry (src/serve/metrics.ts), fed by hand and scraped as text. */
function service(): ServiceMetrics {
  return new ServiceMetrics({ cacheBytes: () => 0, cacheEntries: () => 0, indexVersion: () => 1 });
}
const query = (m: ServiceMetrics, seconds: number, status = 200): void =>
  m.requestDuration.observe({ route: '/query', method: 'POST', status_code: String(status) }, seconds);
const scrape = async (m: ServiceMetrics, at: number): Promise<Scrape> => toScrape(at * 1000, parseExposition(await m.registry.metrics()));

function trigger(overrides: Partial<Trigger>): Trigger {
  const rules = parseRules(
    { version: 1, pollSeconds: 1, triggers: [{ name: 't', metric: 'p95_latency_seconds', comparison: 'above', threshold: 0.3, windowSeconds: 10, minSamples: 20, ...overrides }], action: { command: ['true'] } },
    'test rules',
  );
  return rules.triggers[0] as Trigger;
}

describe('windowed figures from scrapes of the service registry', () => {
  it('counts only what happened inside the window: increments between scrapes, not totals', async () => {
    const m = service();
    for (let i = 0; i < 50; i++) query(m, 0.8); // before the window: slow
    const scrapes = [await scrape(m, 0)];
    for (let i = 0; i < 100; i++) query(m, i < 96 ? 0.02 : 0.4, i < 98 ? 200 : 504);
    scrapes.push(await scrape(m, 5));
    m.requestDuration.observe({ route: '/health', method: 'GET', status_code: '200' }, 3); // another route: not counted
    scrapes.push(await scrape(m, 10));
    const window = windowOf(scrapes, 10);
    expect(window?.coveredSeconds).toBe(10);
    const r = queryRequests(window!);
    expect([r.requests, r.errors]).toEqual([100, 2]);
    expect(errorRate(window!).value).toBeCloseTo(0.02, 10);
    // 96 in (0.01, 0.025], 4 in (0.25, 0.5]: rank 95 falls in the first, not among the 50 slow ones before.
    const p95 = p95Latency(window!);
    expect(p95.samples).toBe(100);
    expect(p95.value).toBeGreaterThan(0.01);
    expect(p95.value).toBeLessThanOrEqual(0.025);
  });

  it('is insufficient until the scrapes span the window, and with fewer samples than the minimum', async () => {
    const m = service();
    const scrapes = [await scrape(m, 0)];
    for (let i = 0; i < 10; i++) query(m, 0.4);
    scrapes.push(await scrape(m, 4));
    expect(evaluateRule(trigger({}), { scrapes, probes: [] })).toMatchObject({ state: 'insufficient', reason: 'window: 4.0 s of 10 s watched' });
    scrapes.push(await scrape(m, 10));
    expect(evaluateRule(trigger({}), { scrapes, probes: [] })).toMatchObject({ state: 'insufficient', samples: 10, reason: 'samples: 10 of 20' });
    for (let i = 0; i < 10; i++) query(m, 0.4);
    scrapes.push(await scrape(m, 11)); // base is now the scrape at 0 s still (the last one at or before 11 - 10 = 1 s)
    const judged = evaluateRule(trigger({}), { scrapes, probes: [] });
    expect(judged).toMatchObject({ state: 'breach', samples: 20, coveredSeconds: 11 });
    expect(judged.value).toBeGreaterThan(0.3);
    expect(evaluateRule(trigger({ threshold: 0.5 }), { scrapes, probes: [] }).state).toBe('ok');
  });

  it('handles a restart: a counter that went down counts from 0, and so does every series when the process start time changes', async () => {
    const before = service();
    for (let i = 0; i < 40; i++) before.cacheHits.inc();
    for (let i = 0; i < 60; i++) before.cacheMisses.inc();
    const first = await scrape(before, 0);
    const after = service(); // the restarted service: counters from 0
    for (let i = 0; i < 9; i++) after.cacheHits.inc();
    after.cacheMisses.inc();
    const second = await scrape(after, 5);
    const w = windowOf([first, second], 5)!;
    expect(cacheHitRatio(w)).toEqual({ value: 0.9, samples: 10 });
    // A restart that already counted past the old values is only visible in process_start_time_seconds.
    for (let i = 0; i < 100; i++) after.cacheHits.inc();
    const third = { ...(await scrape(after, 5)), startTime: (first.startTime ?? 0) + 60 };
    expect(cacheHitRatio(windowOf([first, third], 5)!)).toEqual({ value: 109 / 110, samples: 110 });
  });

  it('averages the agreement of every computed consensus query in the window, however many ran between scrapes', async () => {
    const m = service();
    const scrapes = [await scrape(m, 0)];
    m.consensusAgreementRatio.observe(0.5);
    m.consensusAgreementRatio.observe(0.7);
    scrapes.push(await scrape(m, 1));
    scrapes.push(await scrape(m, 2)); // nothing computed: adds no reading
    m.consensusAgreementRatio.observe(1);
    scrapes.push(await scrape(m, 3));
    const { value, samples } = consensusAgreement(windowOf(scrapes, 3)!);
    expect(samples).toBe(3);
    expect(value).toBeCloseTo(2.2 / 3, 12);
    expect(consensusAgreement(windowOf(scrapes.slice(1, 3), 1)!)).toEqual({ value: null, samples: 0 });
  });
});
