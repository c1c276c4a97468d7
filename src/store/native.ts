import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** What a user runs when a native index addon is missing or broken. */
export const NATIVE_FIX =
  'run `npm run build:native` (it needs: apt-get install -y libfaiss-dev libopenblas-dev build-essential python3)';

/** A native addon (faiss-node, hnswlib-node) is not built or cannot load on this machine. */
export class NativeAddonError extends Error {
  constructor(packageName: string, cause: unknown) {
    const reason = cause instanceof Error ? (cause.message.split('\n')[0] ?? cause.message) : String(cause);
    super(`${packageName}: native addon cannot be loaded (${reason}). To fix it, ${NATIVE_FIX}`, { cause });
    this.name = 'NativeAddonError';
  }
}

/**
 * Loads a CommonJS native addon on first use, so that importing the store registry never
 * fails on a machine where only some backends are built.
 */
export function loadNativeAddon<T>(packageName: string): T {
  try {
    return require(packageName) as T;
  } catch (cause) {
    throw new NativeAddonError(packageName, cause);
  }
}
