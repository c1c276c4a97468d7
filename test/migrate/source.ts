import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { ingestToDisk } from '../../src/migrate/source.ts';

/** Three real SQuAD articles (golden/squad-dev), chunked small: ~400 chunks with real USE-lite vectors (cached in .cache/embeddings after the first run). */
export const SOURCE_DOCS = ['1973_oil_crisis', 'Harvard_University', 'Normans'].map((d) => `golden/squad-dev/docs/${d}.pdf`);
export const SOURCE_CHUNKER = { name: 'fixed', size: 200, overlap: 20 };

export interface MigrationFixture {
  /** A folder for this test file's state folders, stores and targets; removed in afterAll. */
  root: string;
  /** The saved FAISS index (the migration source). */
  sourceDir: string;
  chunks: number;
}

/** Ingests the source once for the file (beforeAll) into a temporary folder. */
export function useFaissSource(): () => MigrationFixture {
  const root = mkdtempSync(join(tmpdir(), 'ragbench-migrate-'));
  let fixture: MigrationFixture | undefined;
  beforeAll(async () => {
    const sourceDir = join(root, 'source');
    const { chunks } = await ingestToDisk({ docs: SOURCE_DOCS, dir: sourceDir, chunker: SOURCE_CHUNKER });
    fixture = { root, sourceDir, chunks };
  }, 300_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  return () => {
    if (!fixture) throw new Error('the migration source was not built (beforeAll failed)');
    return fixture;
  };
}
