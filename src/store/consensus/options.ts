import { z } from 'zod';

/** A store as a suite names it: a registry name, or `{ name, ...options }`. */
export const storeSpecSchema = z.union([z.string().min(1), z.looseObject({ name: z.string().min(1) })]);
export type StoreSpec = z.output<typeof storeSpecSchema>;

export function specName(spec: StoreSpec): string {
  return typeof spec === 'string' ? spec : spec.name;
}

export function specOptions(spec: StoreSpec): Record<string, unknown> {
  if (typeof spec === 'string') return {};
  const { name: _name, ...options } = spec;
  return options;
}

const backendSchema = z.strictObject({
  store: storeSpecSchema,
  /** Base weight in the vote and the quorum; the adaptive trust multiplies it. */
  weight: z.number().positive().default(1),
  /** Name in reports, errors and the write-ahead log file; defaults to the store's name. */
  label: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." and "-" only (it names a file)')
    .optional(),
});

const writeSchema = z.strictObject({
  /** Backends written at the same time. */
  concurrency: z.int().positive().default(4),
  /** Tries per backend and batch before the batch goes to that backend's write-ahead log. */
  attempts: z.int().positive().default(3),
  /** Wait before the 2nd try; each later wait is `backoffFactor` times longer, at most `maxBackoffMs`. */
  backoffMs: z.number().min(0).default(50),
  backoffFactor: z.number().min(1).default(2),
  maxBackoffMs: z.number().min(0).default(1000),
  /** Per backend, per try (and per replayed log entry, per listIds/get). */
  timeoutMs: z.number().positive().default(10_000),
  /** Backends that must acknowledge a write for it to resolve; the others replay it from their log. */
  minAcks: z.int().min(0).default(1),
  /** At most one background catch-up attempt per this interval, started by queries. */
  catchUpIntervalMs: z.number().min(0).default(500),
});

const querySchema = z.strictObject({
  /** Per backend; a backend slower than this is counted as timed out and left out of the vote. */
  timeoutMs: z.number().positive().default(2000),
  /**
   * Fraction of the total (trust-adjusted) weight of the configured backends that must agree
   * with the merged top-k. 2/3: the "0.67" as an exact fraction, so 2 of 3 equal
   * backends make a quorum (2/3 < 0.67 would not).
   */
  quorum: z.number().min(0.5).max(1).default(2 / 3),
  /** Without a quorum: return the best-effort merge, flagged (default), or throw NoQuorumError. */
  onNoQuorum: z.enum(['best-effort', 'error']).default('best-effort'),
  /**
   * `all` (default): wait for every backend or its timeout, so each query's report names every
   * dissent, timeout and failure. `quorum`: answer as soon as the backends that answered meet
   * the quorum and no backend still out can change the merged top-k — a slow backend no longer
   * sets the latency; its vote is counted when it comes, for its figures and trust.
   */
  settle: z.enum(['all', 'quorum']).default('all'),
  /** A backend agrees when its top-k overlaps the merged top-k by at least this fraction. */
  agreeOverlap: z.number().gt(0).max(1).default(0.8),
});

const weightsSchema = z.strictObject({
  /** Whether trust multiplies the base weight in the vote and the quorum. */
  adaptive: z.boolean().default(true),
  /** EMA step: trust <- (1 - alpha) * trust + alpha * (agreed ? 1 : overlap), after each query with a majority. */
  alpha: z.number().gt(0).max(1).default(0.2),
  /** Trust never falls below this, so a healed backend can climb back. */
  floor: z.number().gt(0).max(1).default(0.05),
  /** Flagged suspect when trust falls below this ... */
  suspectBelow: z.number().gt(0).max(1).default(0.5),
  /** ... and cleared when it climbs back to this (hysteresis: no flag flapping). */
  recoverAbove: z.number().gt(0).max(1).default(0.8),
});

export const consensusOptionsSchema = z
  .strictObject({
    backends: z.array(backendSchema).min(1),
    /** One JSON-lines log per backend; a fixed folder lets pending writes survive a process restart. */
    walDir: z.string().min(1).optional(),
    /** fsync each log append (durable on power loss); off only for throwaway benchmarks. */
    fsync: z.boolean().default(true),
    write: writeSchema.prefault({}),
    query: querySchema.prefault({}),
    weights: weightsSchema.prefault({}),
    /** Ids listed per backend in a reconcile report (counts are always complete). */
    maxIdsListed: z.int().min(0).default(100),
  })
  .refine((o) => o.weights.recoverAbove >= o.weights.suspectBelow, {
    message: 'weights.recoverAbove must be >= weights.suspectBelow',
    path: ['weights', 'recoverAbove'],
  });

export type ConsensusOptions = z.output<typeof consensusOptionsSchema>;
export type WriteOptions = ConsensusOptions['write'];
export type QueryOptions = ConsensusOptions['query'];
export type WeightOptions = ConsensusOptions['weights'];

/** Unique, file-safe labels: the explicit label, else the store name (faulty: `faulty-<inner>`), deduplicated with -2, -3. */
export function backendLabels(backends: ConsensusOptions['backends']): string[] {
  const seen = new Map<string, number>();
  return backends.map((b) => {
    let base = b.label ?? defaultLabel(b.store);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    if (n > 1) base = `${base}-${n}`;
    return base;
  });
}

function defaultLabel(spec: StoreSpec): string {
  const name = specName(spec);
  const inner = specOptions(spec).store;
  const label = name === 'faulty' && inner !== undefined ? `faulty-${specName(inner as StoreSpec)}` : name;
  return label.replace(/[^A-Za-z0-9_.-]/g, '_');
}
