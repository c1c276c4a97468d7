import { describe, expect, it } from 'vitest';
import { normalizeQuestion, QueryCache } from '../../src/serve/cache.ts';

interface V {
  bytes: number;
  n: number;
}

const value = (n: number, bytes = 100) => async () => ({ value: { n, bytes }, computeMs: 1 });

describe('QueryCache', () => {
  it('keeps within its byte budget by evicting the least recently used, counting evictions', async () => {
    const evicted: number[] = [];
    const cache = new QueryCache<V>({ maxBytes: 300, ttlMs: 60_000, cacheableUnderMs: 2000 }, { evicted: () => evicted.push(1) });
    for (const k of ['a', 'b', 'c']) await cache.getOrCompute(k, value(1));
    expect((await cache.getOrCompute('a', value(2))).status).toBe('hit'); // a is now the most recent
    await cache.getOrCompute('d', value(4));
    expect(cache.figures()).toMatchObject({ entries: 3, bytes: 300, evictions: 1 });
    expect((await cache.getOrCompute('b', value(5))).status).toBe('miss'); // b was the least recent
    expect((await cache.getOrCompute('a', value(6))).value.n).toBe(1);
    expect(evicted).toHaveLength(2); // b's return evicted c
  });

  it('expires entries after the TTL', async () => {
    const cache = new QueryCache<V>({ maxBytes: 1000, ttlMs: 40, cacheableUnderMs: 2000 });
    await cache.getOrCompute('a', value(1));
    expect((await cache.getOrCompute('a', value(2))).status).toBe('hit');
    await new Promise((r) => setTimeout(r, 80));
    const again = await cache.getOrCompute('a', value(3));
    expect([again.status, again.value.n]).toEqual(['miss', 3]);
    expect(cache.figures().expirations).toBe(1);
  });

  it('stores only results computed faster than cacheableUnderMs', async () => {
    const cache = new QueryCache<V>({ maxBytes: 1000, ttlMs: 60_000, cacheableUnderMs: 50 });
    await cache.getOrCompute('slow', async () => ({ value: { n: 1, bytes: 10 }, computeMs: 50 }));
    expect((await cache.getOrCompute('slow', value(2))).status).toBe('miss');
    expect(cache.figures().notCacheable).toBe(1);
  });

  it('computes concurrent misses of one key once, and shares a failure with every waiter', async () => {
    const cache = new QueryCache<V>({ maxBytes: 1000, ttlMs: 60_000, cacheableUnderMs: 2000 });
    let runs = 0;
    const slow = async () => {
      runs++;
      await new Promise((r) => setTimeout(r, 30));
      return { value: { n: runs, bytes: 10 }, computeMs: 30 };
    };
    const all = await Promise.all(Array.from({ length: 5 }, () => cache.getOrCompute('q', slow)));
    expect(runs).toBe(1);
    expect(all.map((l) => l.joined)).toEqual([false, true, true, true, true]);
    const failing = async (): Promise<{ value: V; computeMs: number }> => {
      await new Promise((r) => setTimeout(r, 10));
      throw new Error('backend down');
    };
    const results = await Promise.allSettled([cache.getOrCompute('f', failing), cache.getOrCompute('f', failing)]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect(cache.figures().computing).toBe(0);
  });

  it('clear() invalidates, and a computation started before it does not store its stale value', async () => {
    const cache = new QueryCache<V>({ maxBytes: 1000, ttlMs: 60_000, cacheableUnderMs: 2000 });
    await cache.getOrCompute('a', value(1));
    let release = (): void => undefined;
    const pending = cache.getOrCompute('b', () => new Promise((resolve) => (release = () => resolve({ value: { n: 2, bytes: 10 }, computeMs: 1 }))));
    cache.clear();
    release();
    await pending;
    expect(cache.figures()).toMatchObject({ entries: 0, invalidations: 1 });
  });

  it('with a budget of 0 is disabled', () => {
    expect(new QueryCache<V>({ maxBytes: 0, ttlMs: 1, cacheableUnderMs: 1 }).enabled).toBe(false);
  });
});

describe('normalizeQuestion', () => {
  it('collapses whitespace and applies NFKC, keeping case', () => {
    expect(normalizeQuestion('  Who   built\tthe\ntower? ')).toBe('Who built the tower?');
    expect(normalizeQuestion('ﬁrst')).toBe('first');
    expect(normalizeQuestion('US')).not.toBe(normalizeQuestion('us'));
  });
});
