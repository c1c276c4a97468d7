import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/gate/index.ts';
import { migrationSection } from '../../src/report/migration.ts';
import { runSuite } from '../../src/suite/runner.ts';
import { SummarySchema, type Summary } from '../../src/summary/schema.ts';

const SUITE = [
  'name: migration-mini',
  `golden: ${resolve('test/fixtures/golden-mini')}`,
  'split: all',
  'migration:',
  '  source: { store: faiss-flat, chunker: sentence }',
  '  targets:',
  '    - { name: pgvector, server: postgres }',
  '    - { name: faiss-flat }',
  '  scenarios: [plain, row-corrupted, database-killed]',
  '  batchSize: 4',
  '  parallelism: 2',
].join('\n');

describe('a migration suite: FAISS on disk -> a real PostgreSQL the suite starts, under fault scenarios', () => {
  let summary: Summary;

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ragbench-migration-suite-'));
    const file = join(dir, 'suite.yml');
    await writeFile(file, SUITE);
    ({ summary } = await runSuite({ suiteFile: file, outDir: join(dir, 'reports'), cacheDir: join(dir, 'cache') }));
  }, 240_000);

  it('runs every scenario that applies to each target, each into a fresh target, with zero loss', () => {
    expect(SummarySchema.safeParse(summary).success).toBe(true);
    expect(summary.runs.map((r) => [r.name, r.status, r.error])).toEqual([
      ['pgvector·plain', 'completed', undefined],
      ['pgvector·row-corrupted', 'completed', undefined],
      ['pgvector·database-killed', 'completed', undefined],
      // The database scenarios act on PostgreSQL: they do not apply to a FAISS target.
      ['faiss-flat·plain', 'completed', undefined],
    ]);
    for (const r of summary.runs) {
      expect(r.migration, r.name).toMatchObject({ version: 1, lostRecords: 0, missing: 0, mismatched: 0, duplicates: 0, orphans: 0, checksumOk: true, ok: true });
      expect(r.migration?.chunksSource).toBeGreaterThan(10);
      expect(r.migration?.chunksTarget).toBe(r.migration?.chunksSource);
      expect(r.config.store).toBe(`faiss-flat→${r.name.split('·')[0]}`);
    }
  });

  it('records what each fault injected, and what the validation found right after a corruption', () => {
    const corrupted = summary.runs.find((r) => r.name === 'pgvector·row-corrupted')?.migration;
    expect(corrupted?.detected?.mismatched).toBe(1);
    expect(corrupted?.detected?.examples).toHaveLength(1);
    expect(corrupted?.detected?.problems.join(' ')).toContain(corrupted?.detected?.examples[0] as string);
    expect(corrupted?.repaired).toBe(1);
    const killed = summary.runs.find((r) => r.name === 'pgvector·database-killed')?.migration;
    expect(killed?.injected.join(' ')).toMatch(/kill/i);
    expect(summary.runs.find((r) => r.name === 'pgvector·plain')?.migration?.injected).toEqual([]);
  });

  it('the gate passes zero loss and names the lost records when there are some', () => {
    const go = evaluateGate(summary, {});
    const lost = go.checks.filter((c) => c.metric === 'migration.lostRecords');
    expect(lost).toHaveLength(4);
    expect(lost.every((c) => c.status === 'pass' && c.value === 0)).toBe(true);
    // The same summary with a loss in one scenario, as a validation reports it.
    const broken = structuredClone(summary);
    const m = broken.runs[0]?.migration;
    if (!m) throw new Error('no migration');
    Object.assign(m, { missing: 2, lostRecords: 2, ok: false, problems: ['2 source record(s) missing from the target: Greyhaven_Lighthouse#3, Greyhaven_Lighthouse#4'] });
    const noGo = evaluateGate(broken, {});
    expect(noGo.decision).toBe('NO-GO');
    const failed = noGo.checks.find((c) => c.metric === 'migration.lostRecords' && c.status === 'fail');
    expect(failed?.detail).toContain('Greyhaven_Lighthouse#3');
  });

  it('the report section lists every scenario', () => {
    const section = migrationSection(summary);
    expect(section?.rows.map((r) => r.name)).toEqual(summary.runs.map((r) => r.name));
    expect(section?.lostRecords).toBe(0);
  });
});
