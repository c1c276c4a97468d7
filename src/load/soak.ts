import type { Soak } from '../summary/schema.ts';
import { drive, type StepTarget } from './drive.ts';
import type { ServiceProcess } from './service-process.ts';

export interface SoakPlan {
  mix: Soak['mix'];
  concurrency: number;
  seconds: number;
  target: StepTarget;
  timeoutSeconds: number;
  sampleEveryMs: number;
  rssGrowthMaxMiB: number;
  seed: number;
  signal?: AbortSignal;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Least-squares slope of y over x. */
export function slope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den > 0 ? num / den : 0;
}

/**
 * Growth as the median of the last fifth of the RSS samples minus the median of the first
 * fifth: medians, so one garbage-collection spike at either end does not decide it.
 */
export function rssGrowth(samples: readonly (readonly [number, number])[]): number {
  const fifth = Math.max(1, Math.floor(samples.length / 5));
  const rss = samples.map(([, r]) => r);
  return median(rss.slice(-fifth)) - median(rss.slice(0, fifth));
}

/** Moderate load for minutes while the service's RSS is read every `sampleEveryMs`. */
export async function soak(service: ServiceProcess, plan: SoakPlan): Promise<Soak> {
  await service.resetStats();
  const started = performance.now();
  const rss: [number, number][] = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const s = await service.stats();
      rss.push([Math.round(performance.now() - started) / 1000, s.process.rssBytes]);
      await new Promise((r) => setTimeout(r, plan.sampleEveryMs));
    }
  })();
  let result;
  try {
    result = await drive({
      url: service.url,
      target: plan.target,
      connections: plan.concurrency,
      seconds: plan.seconds,
      maxRequests: Number.MAX_SAFE_INTEGER,
      timeoutSeconds: plan.timeoutSeconds,
      keepSamples: 1,
      seed: plan.seed,
      ...(plan.signal && { signal: plan.signal }),
    });
  } finally {
    polling = false;
    await poller;
  }
  const bound = plan.rssGrowthMaxMiB * 2 ** 20;
  const growth = rssGrowth(rss);
  return {
    mix: plan.mix,
    concurrency: plan.concurrency,
    seconds: Math.round(result.seconds * 1000) / 1000,
    requests: result.requests,
    rps: Math.round(result.rps * 10) / 10,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    rss,
    rssGrowthBytes: growth,
    rssSlopeBytesPerMinute: Math.round(slope(rss) * 60),
    rssGrowthBoundBytes: bound,
    growthOfBound: Math.round((Math.max(0, growth) / bound) * 1000) / 1000,
  };
}
