import { mkdtempSync, rmSync } from 'node:fs';
import { afterAll } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStore } from '../../src/store/registry.ts';
import { describeStoreContract, type StoreUnderTest } from './contract.ts';
import { embedFixture } from './data.ts';

// Every store passes the same contract, on real USE-lite embeddings of SQuAD sentences.
const real = await embedFixture();

const SUBJECTS: StoreUnderTest[] = [
  { name: 'exact', create: (d) => createStore('exact', d), minRecall: 1 },
  { name: 'faiss-flat', create: (d) => createStore('faiss-flat', d), minRecall: 1 },
  // Random 64-d unit vectors are a hard case for HNSW; real embeddings do better (bench/ann.ts).
  { name: 'faiss-hnsw', create: (d) => createStore('faiss-hnsw', d), minRecall: 0.9 },
  { name: 'hnswlib', create: (d) => createStore('hnswlib', d), minRecall: 0.9 },
];

// Saved to a folder (option dir): reopen loads what close() saved, native index included.
for (const name of ['faiss-flat', 'faiss-hnsw']) {
  const root = mkdtempSync(join(tmpdir(), `ragbench-${name}-`));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let made = 0;
  SUBJECTS.push({
    name,
    create: (d) => createStore(name, d, { dir: join(root, String(++made)) }),
    reopen: (d) => createStore(name, d, { dir: join(root, String(made)) }),
    minRecall: name === 'faiss-flat' ? 1 : 0.9,
  });
}

for (const subject of SUBJECTS) describeStoreContract(subject, real);
