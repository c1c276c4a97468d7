import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { binomialCdf } from '../../src/watch/binomial.ts';
import { histogramQuantile } from '../../src/watch/histogram-quantile.ts';
import { ExpositionError, parseExposition } from '../../src/watch/prometheus.ts';

describe('parseExposition (the Prometheus text format prom-client writes)', () => {
  it('reads labelled histograms (le first, as prom-client writes it), counters and escaped label values', async () => {
    const registry = new Registry();
    const h = new Histogram({ name: 'x_seconds', help: 'h', labelNames: ['cache'], buckets: [0.1, 1], registers: [registry] });
    h.observe({ cache: 'hit' }, 0.05);
    h.observe({ cache: 'miss' }, 0.5);
    h.observe({ cache: 'miss' }, 3);
    const c = new Counter({ name: 'y_total', help: 'with "quotes" \\ and\nnewline', labelNames: ['route'], registers: [registry] });
    c.inc({ route: '/a"b\\c\nd' }, 2);
    const { samples, types } = parseExposition(await registry.metrics());
    expect(types.get('x_seconds')).toBe('histogram');
    expect(types.get('y_total')).toBe('counter');
    const miss = samples.filter((s) => s.labels.cache === 'miss');
    expect(miss.map((s) => [s.name, s.labels.le, s.value])).toEqual([
      ['x_seconds_bucket', '0.1', 0],
      ['x_seconds_bucket', '1', 1],
      ['x_seconds_bucket', '+Inf', 2],
      ['x_seconds_sum', undefined, 3.5],
      ['x_seconds_count', undefined, 2],
    ]);
    expect(samples.find((s) => s.name === 'x_seconds_count' && s.labels.cache === 'hit')?.value).toBe(1);
    expect(samples.find((s) => s.name === 'y_total')).toEqual({ name: 'y_total', labels: { route: '/a"b\\c\nd' }, value: 2 });
  });

  it('reads special values and timestamps, and names the line of a malformed sample', () => {
    const { samples } = parseExposition('a +Inf\nb{x="1"} NaN 1700000000000\nc -Inf\nd 1.5e-3\n');
    expect(samples.map((s) => s.value)).toEqual([Infinity, NaN, -Infinity, 0.0015]);
    expect(() => parseExposition('# ok\nfoo{le="1} 2\n')).toThrowError(new ExpositionError(2, 'unterminated value of label le'));
    expect(() => parseExposition('foo{le="1"\n')).toThrowError('/metrics line 1: label set without its closing }');
    expect(() => parseExposition('foo bar\n')).toThrowError('/metrics line 1: not a number: "bar"');
    expect(() => parseExposition('foo\n')).toThrowError('expected "value [timestamp]" after foo');
    expect(() => parseExposition('{x="1"} 2\n')).toThrowError('bad metric name');
  });
});

describe('histogramQuantile (as Prometheus histogram_quantile)', () => {
  const buckets = (pairs: [number, number][]) => pairs.map(([le, count]) => ({ le, count }));

  it('interpolates inside the bucket holding the rank', () => {
    // 100 observations: 50 ≤ 0.1, 40 in (0.1, 0.5], 10 in (0.5, 1].
    const b = buckets([[0.1, 50], [0.5, 90], [1, 100], [Infinity, 100]]);
    expect(histogramQuantile(0.5, b)).toBeCloseTo(0.1, 10);
    expect(histogramQuantile(0.95, b)).toBeCloseTo(0.75, 10); // rank 95: halfway through (0.5, 1]
    expect(histogramQuantile(0.25, b)).toBeCloseTo(0.05, 10); // first bucket: lower bound 0
  });

  it('answers the largest finite bound for a quantile in +Inf, null without observations, and refuses a histogram without +Inf', () => {
    expect(histogramQuantile(0.95, buckets([[0.1, 1], [1, 2], [Infinity, 100]]))).toBe(1);
    expect(histogramQuantile(0.95, buckets([[0.1, 0], [Infinity, 0]]))).toBeNull();
    expect(() => histogramQuantile(0.95, buckets([[0.1, 3]]))).toThrow('+Inf');
  });

  it('agrees with the exact p95 of the data to within the bucket holding it (the resolution caveat)', () => {
    const bounds = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, Infinity];
    const data = Array.from({ length: 1000 }, (_, i) => 0.02 + ((i * 7919) % 1000) / 2000); // 0.02 .. 0.52 s, even
    const b = bounds.map((le) => ({ le, count: data.filter((x) => x <= le).length }));
    const exact = [...data].sort((x, y) => x - y)[949] as number;
    const estimate = histogramQuantile(0.95, b) as number;
    expect(exact).toBeGreaterThan(0.25);
    expect(estimate).toBeGreaterThan(0.25); // the same bucket (0.25, 0.5] ...
    expect(estimate).toBeLessThanOrEqual(0.5);
    expect(Math.abs(estimate - exact)).toBeLessThan(0.25); // ... and no finer than it
  });
});

describe('binomialCdf', () => {
  it('matches the exact sum of binomial terms (R pbinom)', () => {
    expect(binomialCdf(3, 10, 0.5)).toBeCloseTo(0.171875, 10); // pbinom(3, 10, 0.5)
    expect(binomialCdf(14, 20, 0.892)).toBeCloseTo(0.016125805219, 10); // pbinom(14, 20, 0.892)
    expect(binomialCdf(19, 20, 0.9)).toBeCloseTo(1 - 0.9 ** 20, 10);
    expect(binomialCdf(900, 1000, 0.95) / 8.410251084877703e-11).toBeCloseTo(1, 8); // no underflow at n = 1000
    expect([binomialCdf(-1, 5, 0.5), binomialCdf(5, 5, 0.5), binomialCdf(0, 5, 0)]).toEqual([0, 1, 1]);
  });
});
