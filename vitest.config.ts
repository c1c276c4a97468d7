import { defineConfig } from 'vitest/config';

/** Tests whose assertions rest on wall-clock time (latency A/B, the report's draw time). */
const TIMING = 'test/**/*.timing.test.ts';

const shared = {
  testTimeout: 120_000,
  hookTimeout: 300_000,
  // Native addons (faiss, hnswlib) and WASM models are not fork-safe to share; forks isolate them.
  pool: 'forks',
} as const;

export default defineConfig({
  test: {
    projects: [
      { test: { ...shared, name: 'main', include: ['test/**/*.test.ts'], exclude: [TIMING], sequence: { groupOrder: 0 } } },
      // Run alone, after everything else has finished: another test file on the same cores
      // would be measured too.
      { test: { ...shared, name: 'timing', include: [TIMING], fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      reporter: ['text-summary', 'text', 'json-summary'],
      reportsDirectory: 'coverage',
    },
  },
});
