// Imported by src/store/registry.ts only (the registry and these definitions import each other;
// every use of createStore below is at call time, after both modules have loaded).
import { createStore, validateStore } from '../registry.ts';
import type { StoreDefinition } from '../types.ts';
import { assertValidDimensions, parseStoreOptions } from '../util.ts';
import { FaultyStore, faultOptionsSchema, hooksFor } from './faults.ts';
import { backendLabels, consensusOptionsSchema, specName, specOptions } from './options.ts';
import { ConsensusStore } from './router.ts';

/** `consensus`: the storage router and consensus search over the stores in `backends`. */
export const consensus: StoreDefinition = {
  name: 'consensus',
  options: consensusOptionsSchema.superRefine((o, ctx) => {
    for (const [i, b] of o.backends.entries()) {
      try {
        validateStore(specName(b.store), specOptions(b.store));
      } catch (error) {
        ctx.addIssue({ code: 'custom', path: ['backends', i, 'store'], message: (error as Error).message });
      }
    }
  }),
  async create(dimensions, options) {
    assertValidDimensions('consensus', dimensions);
    const parsed = parseStoreOptions('consensus', consensusOptionsSchema, options);
    const labels = backendLabels(parsed.backends);
    const built: { name: string; storeName: string; store: Awaited<ReturnType<typeof createStore>>; weight: number }[] = [];
    try {
      for (const [i, b] of parsed.backends.entries()) {
        const store = await createStore(specName(b.store), dimensions, specOptions(b.store));
        built.push({ name: labels[i] as string, storeName: specName(b.store), store, weight: b.weight });
      }
      return await ConsensusStore.open(dimensions, built, parsed);
    } catch (error) {
      await Promise.allSettled(built.map((b) => b.store.close()));
      throw error;
    }
  },
};

/** `faulty`: any store with injected crash, latency, lies, dropped writes or flapping. */
export const faulty: StoreDefinition = {
  name: 'faulty',
  options: faultOptionsSchema.superRefine((o, ctx) => {
    try {
      validateStore(specName(o.store), specOptions(o.store));
    } catch (error) {
      ctx.addIssue({ code: 'custom', path: ['store'], message: (error as Error).message });
    }
  }),
  async create(dimensions, options) {
    assertValidDimensions('faulty', dimensions);
    const { store, ...faults } = parseStoreOptions('faulty', faultOptionsSchema, options);
    const hooks = faults.crash?.target !== undefined ? hooksFor(faults.crash.target) : undefined;
    const inner = await createStore(specName(store), dimensions, specOptions(store));
    return new FaultyStore(inner, faults, hooks);
  },
};
