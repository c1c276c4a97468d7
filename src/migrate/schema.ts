import { z } from 'zod';

/** Up to this many example ids are kept for each kind of loss, so a NO-GO can name them. */
export const MAX_EXAMPLES = 5;

const examples = z.array(z.string()).max(MAX_EXAMPLES);

/** Per-document record counts on both sides (only documents whose counts differ are listed). */
export const DocumentCountSchema = z.strictObject({ documentId: z.string(), source: z.number().int(), target: z.number().int() });

/**
 * The outcome of a migration (or of `--validate-only`): what was compared and what differs.
 * Written into summary.json as `runs[].migration`; the gate checks `lostRecords == 0`.
 */
export const MigrationResultSchema = z.strictObject({
  version: z.literal(1),
  /** Store specs as given (canonical JSON), e.g. {"dir":".cache/index","name":"faiss-flat"}. */
  from: z.string(),
  to: z.string(),
  /** Zero loss and query equivalence within tolerance: the migration may go ahead. */
  ok: z.boolean(),
  /** One sentence per failed check, naming what was lost; empty when ok. */
  problems: z.array(z.string()),
  chunksSource: z.number().int().nonnegative(),
  /** Target records that belong to this migration (source ids present + orphans); records the target held before and the source lacks are not counted. */
  chunksTarget: z.number().int().nonnegative(),
  /** Source ids the target lacks. */
  missing: z.number().int().nonnegative(),
  /** Ids the target holds more than once (listIds repeats, or count() above the distinct ids). */
  duplicates: z.number().int().nonnegative(),
  /** Ids on both sides whose text/metadata differ or whose vectors differ by more than vectorEpsilon. */
  mismatched: z.number().int().nonnegative(),
  /** Target ids neither in the source nor in the target's backed-up prior state. */
  orphans: z.number().int().nonnegative(),
  /** missing + mismatched: the gate's `migration.lostRecords`. */
  lostRecords: z.number().int().nonnegative(),
  examples: z.strictObject({ missing: examples, duplicates: examples, mismatched: examples, orphans: examples }),
  documents: z.strictObject({ checked: z.number().int().nonnegative(), differing: z.array(DocumentCountSchema) }),
  /** sha256 over canonical JSON of [id, metadata (text included)] for every source id, sorted, on each side. */
  checksumSource: z.string(),
  checksumTarget: z.string(),
  checksumOk: z.boolean(),
  vectorEpsilon: z.number().nonnegative(),
  /** Largest |Δ| of any coordinate between a target vector and the vector it should hold (null: nothing compared). */
  maxVectorDelta: z.number().nonnegative().nullable(),
  /** Mean fraction of the reference top-k ids the target returns for the sampled queries (ties count as agreement). */
  queryAgreement: z.number().min(0).max(1),
  queryTolerance: z.number().min(0).max(1),
  queriesSampled: z.number().int().nonnegative(),
  k: z.number().int().positive(),
  /** Wall time of this invocation (copy + index build + validation). */
  seconds: z.number().nonnegative(),
  /** Chunks copied by this invocation over its copy phase (copy + index build); 0 for --validate-only. */
  chunksPerSecond: z.number().nonnegative(),
  chunksCopied: z.number().int().nonnegative(),
  copySeconds: z.number().nonnegative(),
  indexSeconds: z.number().nonnegative(),
  validateSeconds: z.number().nonnegative(),
  batchSize: z.number().int().positive(),
  parallelism: z.number().int().positive(),
  batches: z.number().int().nonnegative(),
  /** Batches an earlier, interrupted run had already finished. */
  resumed: z.number().int().nonnegative(),
  /** Batch attempts that failed and were retried (a dropped connection, a restarted server). */
  retries: z.number().int().nonnegative(),
  /** Records re-copied after a first validation found them missing or mismatched. */
  repaired: z.number().int().nonnegative(),
  reembedded: z.boolean(),
  /** The embedder that made the target's vectors when re-embedded. */
  embedder: z.string().nullable(),
});
export type MigrationResult = z.infer<typeof MigrationResultSchema>;
export type DocumentCount = z.infer<typeof DocumentCountSchema>;
