import type { VectorStore } from '../types.ts';
import type { WeightOptions } from './options.ts';
import type { WriteAheadLog } from './wal.ts';
import { Trust } from './weights.ts';

/** One configured backend of a consensus store: its store, log, trust and counters. */
export class Backend {
  readonly trust: Trust;
  /** Its log holds writes it has not taken: it is not asked to vote until it catches up. */
  behind: boolean;
  answered = 0;
  dissents = 0;
  timeouts = 0;
  failures = 0;
  skippedBehind = 0;
  readonly latencies: number[] = [];

  constructor(
    readonly name: string,
    readonly storeName: string,
    readonly store: VectorStore,
    readonly baseWeight: number,
    readonly wal: WriteAheadLog,
    weights: WeightOptions,
  ) {
    this.trust = new Trust(weights);
    this.behind = wal.pending > 0;
  }

  /** The weight its vote and its share of the quorum carry now. */
  get weight(): number {
    return this.baseWeight * this.trust.factor;
  }
}

/** Healthiest first: up to date, not suspect, most trusted, fewest failures. */
export function byHealth(backends: readonly Backend[]): Backend[] {
  return [...backends].sort(
    (a, b) =>
      Number(a.behind) - Number(b.behind) ||
      Number(a.trust.suspect) - Number(b.trust.suspect) ||
      b.trust.value - a.trust.value ||
      a.failures + a.timeouts - (b.failures + b.timeouts),
  );
}
