/**
 * Area under the ROC curve of `scores` as a detector of `positives` (Mann-Whitney U / (n+ n-)),
 * with ties counted half: the probability that a random positive scores above a random
 * negative. 0.5 is chance. Null when either class is empty.
 */
export function auroc(scores: readonly number[], positives: readonly boolean[]): number | null {
  if (scores.length !== positives.length) throw new Error(`auroc: ${scores.length} scores for ${positives.length} labels`);
  const items = scores.map((s, i) => ({ s, p: positives[i] as boolean })).sort((a, b) => a.s - b.s);
  let pos = 0;
  let neg = 0;
  for (const it of items) (it.p ? pos++ : neg++);
  if (pos === 0 || neg === 0) return null;
  // Sum of the positives' (mid-)ranks, ties sharing the average rank.
  let rankSum = 0;
  for (let i = 0; i < items.length; ) {
    let j = i;
    while (j + 1 < items.length && (items[j + 1] as { s: number }).s === (items[i] as { s: number }).s) j++;
    const midRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) if ((items[t] as { p: boolean }).p) rankSum += midRank;
    i = j + 1;
  }
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}
