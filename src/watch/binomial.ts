/**
 * P(X ≤ x) for X ~ Binomial(n, p): the one-sided exact binomial test's p-value for "x successes
 * in n is too few for a success rate of p" (R: `pbinom(x, n, p)`, `binom.test(x, n, p, "less")`).
 * Summed in log space so that n in the thousands neither underflows nor loses precision.
 */
export function binomialCdf(x: number, n: number, p: number): number {
  if (!Number.isInteger(x) || !Number.isInteger(n) || n < 0) throw new Error(`binomial: x and n must be integers, n ≥ 0; got x=${x}, n=${n}`);
  if (!(p >= 0 && p <= 1)) throw new Error(`binomial: p must be in [0, 1], got ${p}`);
  if (x < 0) return 0;
  if (x >= n) return 1;
  if (p === 0) return 1;
  if (p === 1) return 0;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  const terms: number[] = [];
  let logC = 0; // log C(n, 0)
  for (let k = 0; k <= x; k++) {
    terms.push(logC + k * logP + (n - k) * logQ);
    logC += Math.log(n - k) - Math.log(k + 1);
  }
  const top = Math.max(...terms);
  return Math.min(1, Math.exp(top) * terms.reduce((s, t) => s + Math.exp(t - top), 0));
}
