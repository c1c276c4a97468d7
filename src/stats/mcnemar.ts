/**
 * Exact McNemar test for paired binary outcomes of two runs on the same questions. Of the
 * n = b + c discordant questions (b: right in the first run only, c: right in the second
 * only), under "no difference" each is a fair coin: b ~ Binomial(n, 1/2). The two-sided
 * p-value is min(1, 2 · P(X ≤ min(b, c))), as R's `binom.test(b, b + c)` and statsmodels'
 * `mcnemar(exact=True)` give. Summed in log space: n in the thousands neither underflows nor
 * loses precision.
 */
export interface McNemarResult {
  /** Right (1) in the first run, wrong (0) in the second. */
  b: number;
  /** Wrong in the first run, right in the second. */
  c: number;
  /** Pairs where both runs have an outcome. */
  pairs: number;
  pValue: number;
}

export function mcnemarExactP(b: number, c: number): number {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) throw new Error(`McNemar: counts must be non-negative integers, got b=${b}, c=${c}`);
  const n = b + c;
  const m = Math.min(b, c);
  if (n === 0 || b === c) return 1;
  // log C(n, k) for k = 0..m; the largest is the last (m < n / 2).
  const logC: number[] = [0];
  for (let k = 0; k < m; k++) logC.push((logC[k] as number) + Math.log(n - k) - Math.log(k + 1));
  const top = logC[m] as number;
  let scaled = 0;
  for (const t of logC) scaled += Math.exp(t - top);
  return Math.min(1, 2 * Math.exp(top + Math.log(scaled) - n * Math.LN2));
}

/**
 * McNemar over two aligned outcome arrays (1 right, 0 wrong, null: the question does not
 * count for this metric and is skipped). Throws on a value other than 0, 1 or null.
 */
export function mcnemarExact(first: readonly (number | null)[], second: readonly (number | null)[]): McNemarResult {
  if (first.length !== second.length) throw new Error(`McNemar: ${first.length} outcomes vs ${second.length}`);
  let b = 0;
  let c = 0;
  let pairs = 0;
  for (let i = 0; i < first.length; i++) {
    const x = first[i];
    const y = second[i];
    if (x === null || y === null || x === undefined || y === undefined) continue;
    if ((x !== 0 && x !== 1) || (y !== 0 && y !== 1)) throw new Error(`McNemar: outcomes must be 0 or 1, got ${x} and ${y} at ${i}`);
    pairs++;
    if (x === 1 && y === 0) b++;
    else if (x === 0 && y === 1) c++;
  }
  return { b, c, pairs, pValue: mcnemarExactP(b, c) };
}
