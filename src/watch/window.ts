/**
 * Scrapes of the service's /metrics kept over time, and what a sliding window of them says:
 * counters and histogram buckets are cumulative, so the window's figures are sums of the
 * increments between consecutive scrapes (Prometheus' `increase`), with a restart handled.
 */
import type { Exposition, Sample } from './prometheus.ts';
import { histogramQuantile, type Bucket } from './histogram-quantile.ts';

export interface Scrape {
  /** Milliseconds (Date.now()) when the scrape answered. */
  at: number;
  samples: readonly Sample[];
  /** process_start_time_seconds: a change means the service restarted and every counter began again at 0. */
  startTime: number | undefined;
}

export function toScrape(at: number, exposition: Exposition): Scrape {
  const start = exposition.samples.find((s) => s.name === 'process_start_time_seconds');
  return { at, samples: exposition.samples, startTime: start?.value };
}

const seriesKey = (s: Sample): string => `${s.name}${JSON.stringify(Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))}`;

/** The scrapes a window judges: `base` (at or before the window's start) up to the newest. */
export interface WindowScrapes {
  scrapes: readonly Scrape[];
  /** newest.at − base.at, seconds: at least the window. */
  coveredSeconds: number;
}

/**
 * The scrapes spanning the last `windowSeconds` before the newest: from the latest scrape at or
 * before that start. Null when the scrapes do not reach back that far (a window too short).
 */
export function windowOf(scrapes: readonly Scrape[], windowSeconds: number): WindowScrapes | null {
  const newest = scrapes[scrapes.length - 1];
  if (!newest) return null;
  const start = newest.at - windowSeconds * 1000;
  let base = -1;
  for (let i = scrapes.length - 1; i >= 0; i--) {
    if ((scrapes[i] as Scrape).at <= start) {
      base = i;
      break;
    }
  }
  if (base < 0) return null;
  const slice = scrapes.slice(base);
  return { scrapes: slice, coveredSeconds: (newest.at - (slice[0] as Scrape).at) / 1000 };
}

/** Seconds the scrapes reach back from the newest (how much of a window there is). */
export function spanSeconds(scrapes: readonly Scrape[]): number {
  const first = scrapes[0];
  const last = scrapes[scrapes.length - 1];
  return first && last ? (last.at - first.at) / 1000 : 0;
}

/**
 * Per series (the samples `select` keeps), the increase over the window: the sum of increments
 * between consecutive scrapes. A value that went down, or a new process start time, is a restart:
 * the increment is the new value (counted from 0). A series absent before counts from 0 too
 * (prom-client creates a labelled series at its first observation).
 */
export function increases(window: WindowScrapes, select: (s: Sample) => boolean): Map<string, { sample: Sample; increase: number }> {
  const out = new Map<string, { sample: Sample; increase: number }>();
  let previous: Map<string, number> | undefined;
  let previousStart: number | undefined;
  for (const scrape of window.scrapes) {
    const current = new Map<string, number>();
    const restarted = previous !== undefined && scrape.startTime !== undefined && previousStart !== undefined && scrape.startTime !== previousStart;
    for (const s of scrape.samples) {
      if (!select(s)) continue;
      const key = seriesKey(s);
      current.set(key, s.value);
      if (!previous) continue;
      const before = previous.get(key) ?? 0;
      const inc = restarted || s.value < before ? s.value : s.value - before;
      const entry = out.get(key);
      if (entry) {
        entry.increase += inc;
        entry.sample = s;
      } else {
        out.set(key, { sample: s, increase: inc });
      }
    }
    previous = current;
    previousStart = scrape.startTime;
  }
  return out;
}

const REQUEST_HISTOGRAM = 'ragbench_http_request_duration_seconds';
const isQueryRequest = (s: Sample): boolean => s.labels.route === '/query' && s.labels.method === 'POST';

/** POST /query requests over the window: the latency buckets (summed over status codes), and how many answered 5xx. */
export function queryRequests(window: WindowScrapes): { buckets: Bucket[]; requests: number; errors: number } {
  const byLe = new Map<number, number>();
  for (const { sample, increase } of increases(window, (s) => s.name === `${REQUEST_HISTOGRAM}_bucket` && isQueryRequest(s)).values()) {
    const le = sample.labels.le === '+Inf' ? Infinity : Number(sample.labels.le);
    byLe.set(le, (byLe.get(le) ?? 0) + increase);
  }
  let requests = 0;
  let errors = 0;
  for (const { sample, increase } of increases(window, (s) => s.name === `${REQUEST_HISTOGRAM}_count` && isQueryRequest(s)).values()) {
    requests += increase;
    // 502 backend error, 503 overload, 504 timeout: every failure the service itself reports.
    if ((sample.labels.status_code ?? '').startsWith('5')) errors += increase;
  }
  return { buckets: [...byLe].map(([le, count]) => ({ le, count })), requests, errors };
}

export function p95Latency(window: WindowScrapes): { value: number | null; samples: number } {
  const { buckets, requests } = queryRequests(window);
  return { value: buckets.length > 0 && requests > 0 ? histogramQuantile(0.95, buckets) : null, samples: requests };
}

export function errorRate(window: WindowScrapes): { value: number | null; samples: number } {
  const { requests, errors } = queryRequests(window);
  return { value: requests > 0 ? errors / requests : null, samples: requests };
}

const sumOf = (m: Map<string, { increase: number }>): number => [...m.values()].reduce((a, e) => a + e.increase, 0);

/** Cache hits / (hits + misses) over the window; bypassed queries are neither. */
export function cacheHitRatio(window: WindowScrapes): { value: number | null; samples: number } {
  const hits = sumOf(increases(window, (s) => s.name === 'ragbench_cache_hits_total'));
  const misses = sumOf(increases(window, (s) => s.name === 'ragbench_cache_misses_total'));
  const lookups = hits + misses;
  return { value: lookups > 0 ? hits / lookups : null, samples: lookups };
}

/**
 * Mean agreement of the consensus queries the service computed in the window: the increase of
 * the per-query histogram's _sum over that of its _count (every query counts once, however many
 * ran between two scrapes).
 */
export function consensusAgreement(window: WindowScrapes): { value: number | null; samples: number } {
  const sum = sumOf(increases(window, (s) => s.name === 'ragbench_consensus_agreement_ratio_sum'));
  const count = sumOf(increases(window, (s) => s.name === 'ragbench_consensus_agreement_ratio_count'));
  return { value: count > 0 ? sum / count : null, samples: count };
}
