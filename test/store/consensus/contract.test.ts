import { createStore } from '../../../src/store/registry.ts';
import { describeStoreContract, type StoreUnderTest } from '../contract.ts';
import { embedFixture } from '../data.ts';

// The router is a store like any other: over healthy backends it passes the shared contract,
// and so does a faulty wrapper with no fault switched on (it changes nothing it was not told to).
const real = await embedFixture();

const SUBJECTS: StoreUnderTest[] = [
  {
    name: 'consensus',
    create: (d) => createStore('consensus', d, { backends: [{ store: 'exact' }, { store: 'faiss-flat' }, { store: 'hnswlib' }] }),
    minRecall: 1,
  },
  { name: 'faulty(exact)', create: (d) => createStore('faulty', d, { store: 'exact' }), minRecall: 1 },
];

for (const subject of SUBJECTS) describeStoreContract(subject, real);
