// Entry of a PooledEmbedder worker thread. A worker does not inherit the parent's TypeScript
// loader (tsx under bin/ragbench.js, vite-node under vitest), so it registers tsx itself,
// resolved from this file, the same way bin/ragbench.js does.
import { register } from 'tsx/esm/api';

register();
await import('./pool-worker.ts');
