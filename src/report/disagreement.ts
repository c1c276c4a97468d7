import { mcnemarExactP } from '../stats/mcnemar.ts';

/** Questions on which two runs' per-question outcomes (1 right, 0 wrong, null n/a) differ. */
export interface Disagreement {
  /** Indexes (into the sample) where only the first run is right: McNemar's b. */
  onlyFirst: number[];
  /** Where only the second run is right: McNemar's c. */
  onlySecond: number[];
  bothRight: number;
  bothWrong: number;
  /** Questions where either outcome is null (the metric does not apply). */
  skipped: number;
  /** Exact two-sided McNemar p-value of b against c. */
  pValue: number;
}

/** The questions a paired test counts, listed so the report can show them, with its p-value. */
export function disagreement(first: readonly (number | null)[], second: readonly (number | null)[]): Disagreement {
  if (first.length !== second.length) throw new Error(`disagreement: ${first.length} outcomes vs ${second.length}`);
  const out: Disagreement = { onlyFirst: [], onlySecond: [], bothRight: 0, bothWrong: 0, skipped: 0, pValue: 1 };
  for (let i = 0; i < first.length; i++) {
    const a = first[i];
    const b = second[i];
    if (a === null || a === undefined || b === null || b === undefined) out.skipped++;
    else if (a > 0 && b > 0) out.bothRight++;
    else if (a > 0) out.onlyFirst.push(i);
    else if (b > 0) out.onlySecond.push(i);
    else out.bothWrong++;
  }
  out.pValue = mcnemarExactP(out.onlyFirst.length, out.onlySecond.length);
  return out;
}
