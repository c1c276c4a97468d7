import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { stringify } from 'yaml';
import type { ServiceConfig } from '../serve/config.ts';
import type { ResolvedRun } from '../suite/matrix.ts';

export interface ServedRun {
  /** The run's stages as the suite resolved them (server addresses filled in). */
  pipeline: ResolvedRun;
  /** PDFs the service ingests at start: the golden set's. */
  documents: readonly string[];
  cacheDir: string;
  embedWorkers: number;
  /** Server, cache and query settings (the suite's `load.service` file, or the defaults). */
  base: Pick<ServiceConfig, 'server' | 'cache' | 'query'>;
}

/**
 * Writes the config `ragbench serve` runs a load step's service with: the run's pipeline over
 * the golden set's PDFs, on a free loopback port. Kept beside the summary, so the service the
 * figures came from can be started again by hand.
 */
export async function writeServiceConfig(file: string, run: ServedRun): Promise<void> {
  const config = {
    server: { ...run.base.server, host: '127.0.0.1', port: 0 },
    cache: run.base.cache,
    query: run.base.query,
    documents: [...run.documents],
    pipeline: { ...run.pipeline, cacheDir: run.cacheDir, embedWorkers: run.embedWorkers },
  };
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `# Written by ragbench run for a load step; start it by hand with: ragbench serve --config <this file>\n${stringify(config)}`);
}
