/**
 * A deterministic, evenly spread sample of `n` items: every (length/n)-th item, so each
 * document of a golden set keeps its share of questions (the first N would be one article).
 */
export function evenSample<T>(items: readonly T[], n: number | undefined): T[] {
  if (n === undefined || n >= items.length) return [...items];
  const step = items.length / n;
  return Array.from({ length: n }, (_, i) => items[Math.floor(i * step)] as T);
}
