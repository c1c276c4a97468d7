/**
 * One rule judged on the scrapes and canary probes so far: `ok`, `breach`, or `insufficient`
 * (the scrapes do not span the window yet, or the window holds fewer observations than the
 * rule's minimum). Stateless: the watcher counts breaches in a row and decides when to fire.
 */
import { accuracyWindow, type Probe } from './canary.ts';
import type { Trigger } from './rules.ts';
import type { WatchMetric } from './schema.ts';
import { cacheHitRatio, consensusAgreement, errorRate, p95Latency, spanSeconds, windowOf, type Scrape, type WindowScrapes } from './window.ts';

export type RuleState = 'ok' | 'breach' | 'insufficient';

export interface RuleStatus {
  trigger: string;
  metric: WatchMetric;
  comparison: 'above' | 'below';
  threshold: number;
  state: RuleState;
  value: number | null;
  samples: number;
  minSamples: number;
  windowSeconds: number;
  /** Seconds the judged scrapes span (the window's, or less when insufficient). */
  coveredSeconds: number;
  /** Why the data is insufficient, when it is. */
  reason?: string;
  /** accuracy_drop: the significance test. */
  test?: { method: string; pValue: number; alpha: number; baseline: number; correct: number };
}

export interface Evidence {
  scrapes: readonly Scrape[];
  probes: readonly Probe[];
  /** The canary's baseline accuracy, when there is a canary. */
  baseline?: number;
}

export const DEFAULT_ALPHA = 0.05;
export const BINOMIAL_TEST = 'one-sided exact binomial test of accuracy ≥ baseline − threshold, distinct canary questions in the window';

function measure(metric: WatchMetric, window: WindowScrapes): { value: number | null; samples: number } {
  switch (metric) {
    case 'p95_latency_seconds':
      return p95Latency(window);
    case 'error_rate':
      return errorRate(window);
    case 'cache_hit_ratio':
      return cacheHitRatio(window);
    case 'consensus_agreement':
      return consensusAgreement(window);
    case 'accuracy_drop':
      throw new Error('accuracy_drop is measured from the canary probes');
  }
}

const breaches = (t: Trigger, value: number): boolean => (t.comparison === 'above' ? value > t.threshold : value < t.threshold);

export function evaluateRule(t: Trigger, evidence: Evidence): RuleStatus {
  const base = { trigger: t.name, metric: t.metric, comparison: t.comparison, threshold: t.threshold, minSamples: t.minSamples, windowSeconds: t.windowSeconds };
  const window = windowOf(evidence.scrapes, t.windowSeconds);
  if (!window) {
    const covered = spanSeconds(evidence.scrapes);
    // Rounded down: 1.99 s of a 2 s window must not read as 2.0.
    return { ...base, state: 'insufficient', value: null, samples: 0, coveredSeconds: covered, reason: `window: ${(Math.floor(covered * 10) / 10).toFixed(1)} s of ${t.windowSeconds} s watched` };
  }
  const newest = window.scrapes[window.scrapes.length - 1] as Scrape;
  if (t.metric === 'accuracy_drop') {
    if (evidence.baseline === undefined) throw new Error('accuracy_drop without a canary baseline');
    const alpha = t.alpha ?? DEFAULT_ALPHA;
    const w = accuracyWindow(evidence.probes, newest.at - t.windowSeconds * 1000, evidence.baseline, t.threshold);
    const status = { ...base, value: w.value, samples: w.samples, coveredSeconds: window.coveredSeconds };
    if (w.samples < t.minSamples || w.value === null || w.pValue === null) {
      return { ...status, state: 'insufficient', reason: `samples: ${w.samples} of ${t.minSamples} canary questions` };
    }
    const test = { method: BINOMIAL_TEST, pValue: w.pValue, alpha, baseline: evidence.baseline, correct: w.correct };
    return { ...status, test, state: breaches(t, w.value) && w.pValue < alpha ? 'breach' : 'ok' };
  }
  const m = measure(t.metric, window);
  const status = { ...base, value: m.value, samples: m.samples, coveredSeconds: window.coveredSeconds };
  if (m.samples < t.minSamples || m.value === null) return { ...status, state: 'insufficient', reason: `samples: ${m.samples} of ${t.minSamples}` };
  return { ...status, state: breaches(t, m.value) ? 'breach' : 'ok' };
}
