import { seededRandom } from '../../src/stats/random.ts';

/** Synthetic data for the statistics tests: seeded, so every test sees the same numbers. */

export function normals(n: number, seed: number, mean = 0, sd = 1): number[] {
  const random = seededRandom(seed);
  const out: number[] = [];
  while (out.length < n) {
    // Box-Muller: two uniforms give two independent standard normals.
    const u = 1 - random();
    const v = random();
    const r = Math.sqrt(-2 * Math.log(u));
    out.push(mean + sd * r * Math.cos(2 * Math.PI * v));
    if (out.length < n) out.push(mean + sd * r * Math.sin(2 * Math.PI * v));
  }
  return out;
}

/** Query-latency-like samples (ms): log-normal around `medianMs`, right-skewed as real timings are. */
export function latencies(n: number, seed: number, medianMs = 30, sigma = 0.35): number[] {
  return normals(n, seed).map((z) => medianMs * Math.exp(sigma * z));
}

/** n binary outcomes with exactly `ones` ones, spread by a seeded shuffle. */
export function outcomes(n: number, ones: number, seed: number): number[] {
  const xs: number[] = Array.from({ length: n }, (_, i) => (i < ones ? 1 : 0));
  const random = seededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j] as number, xs[i] as number];
  }
  return xs;
}

/**
 * Two runs' paired binary outcomes on n questions: `both` right in both, `b` right only in
 * the first, `c` right only in the second, the rest wrong in both; shuffled together.
 */
export function pairedOutcomes(n: number, both: number, b: number, c: number, seed: number): { first: number[]; second: number[] } {
  const pairs: [number, number][] = [
    ...Array.from({ length: both }, () => [1, 1] as [number, number]),
    ...Array.from({ length: b }, () => [1, 0] as [number, number]),
    ...Array.from({ length: c }, () => [0, 1] as [number, number]),
  ];
  while (pairs.length < n) pairs.push([0, 0]);
  const order = Array.from({ length: n }, (_, i) => i);
  const random = seededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] as number, order[i] as number];
  }
  return { first: order.map((i) => (pairs[i] as [number, number])[0]), second: order.map((i) => (pairs[i] as [number, number])[1]) };
}
