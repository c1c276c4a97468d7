import type { WeightOptions } from './options.ts';

/**
 * A backend's trust: an exponential moving average of its overlap with the consensus, in
 * [floor, 1]. Its vote and quorum weight is base weight x trust (when adaptive). Below
 * `suspectBelow` it is flagged suspect; the flag clears at `recoverAbove`.
 */
export class Trust {
  value = 1;
  suspect = false;
  /** The router's query number at which it was first flagged; null while never. */
  flaggedAfterQueries: number | null = null;

  constructor(private readonly options: WeightOptions) {}

  /** One query's score (0..1): 1 when the backend agreed with the consensus, else its overlap. */
  observe(overlap: number, queryNumber: number): void {
    const { alpha, floor, suspectBelow, recoverAbove } = this.options;
    this.value = Math.min(1, Math.max(floor, (1 - alpha) * this.value + alpha * overlap));
    if (!this.suspect && this.value < suspectBelow) {
      this.suspect = true;
      this.flaggedAfterQueries ??= queryNumber;
    } else if (this.suspect && this.value >= recoverAbove) {
      this.suspect = false;
    }
  }

  /** What multiplies the base weight. */
  get factor(): number {
    return this.options.adaptive ? this.value : 1;
  }
}

/** Queries needed for a backend that always disagrees (overlap 0) to be flagged from full trust. */
export function queriesToFlag(options: WeightOptions): number {
  return Math.max(1, Math.floor(Math.log(options.suspectBelow) / Math.log(1 - options.alpha)) + 1);
}
