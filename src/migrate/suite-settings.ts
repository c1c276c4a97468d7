import { z } from 'zod';
import { ComponentSchema } from '../pipeline/component.ts';

export const MIGRATION_SCENARIOS = ['plain', 'runner-killed', 'database-killed', 'row-corrupted', 'connection-dropped'] as const;
export type MigrationScenario = (typeof MIGRATION_SCENARIOS)[number];
/** Scenarios that inject into PostgreSQL itself: they need a pgvector target the suite started (`server: postgres`). */
export const POSTGRES_SCENARIOS: readonly MigrationScenario[] = ['database-killed', 'row-corrupted', 'connection-dropped'];

/**
 * A suite's `migration:` section: the golden set's PDFs ingested into a FAISS index saved on
 * disk (the source), then migrated to each target once per fault scenario, each into a fresh
 * table or collection, and validated (summary `runs[].migration`, gate `migration.lostRecords`).
 */
export const MigrationSuiteSchema = z.strictObject({
  source: z
    .strictObject({
      store: z.enum(['faiss-flat', 'faiss-hnsw']).default('faiss-flat'),
      chunker: ComponentSchema.default('sentence'),
      embedder: ComponentSchema.default('use-lite'),
    })
    .prefault({}),
  /** Store specs as a suite names them; `server: postgres` / `server: chroma` use the suite's own servers. */
  targets: z.array(z.looseObject({ name: z.string().min(1) })).min(1),
  scenarios: z.array(z.enum(MIGRATION_SCENARIOS)).min(1).default(['plain']),
  batchSize: z.int().min(1).default(1000),
  parallelism: z.int().min(1).max(64).default(8),
  /** Seeds the fault points (which batch a kill lands in, which row is corrupted). */
  seed: z.int().default(1),
});
export type MigrationSuite = z.output<typeof MigrationSuiteSchema>;
