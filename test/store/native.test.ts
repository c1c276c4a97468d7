import { describe, expect, it } from 'vitest';
import { loadNativeAddon, NATIVE_FIX, NativeAddonError } from '../../src/store/native.ts';

describe('loadNativeAddon', () => {
  it('loads a built addon', () => {
    const faiss = loadNativeAddon<{ IndexFlatIP: unknown }>('faiss-node');
    expect(typeof faiss.IndexFlatIP).toBe('function');
  });

  it('names the package, the reason and the fix when an addon cannot load', () => {
    let caught: unknown;
    try {
      loadNativeAddon('ragbench-no-such-addon');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(NativeAddonError);
    const message = (caught as Error).message;
    expect(message).toMatch(/^ragbench-no-such-addon: native addon cannot be loaded \(Cannot find (module|package)/);
    expect(message).toContain('npm run build:native');
    expect(message).toContain('apt-get install -y libfaiss-dev libopenblas-dev build-essential python3');
    expect(message.endsWith(NATIVE_FIX)).toBe(true);
    expect((caught as Error).cause).toBeInstanceOf(Error);
  });
});
