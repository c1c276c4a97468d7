import { afterEach, describe, expect, it, vi } from 'vitest';
import { captureWarnings } from '../../src/extract/pdfjs-env.ts';

describe('captureWarnings', () => {
  afterEach(() => vi.restoreAllMocks());

  it('keeps pdf.js warnings as data and lets other console output through', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { value, warnings } = await captureWarnings(async () => {
      console.warn('Warning: Indexing all PDF objects');
      console.log('not from pdf.js');
      return 42;
    });
    expect(value).toBe(42);
    expect(warnings).toEqual(['pdf.js: Indexing all PDF objects']);
    expect(log).toHaveBeenCalledWith('not from pdf.js');
    expect(log).toHaveBeenCalledTimes(1);
  });

  it('serialises tasks so that each warning lands on its own document', async () => {
    const task = (name: string, delay: number) => async () => {
      await new Promise((r) => setTimeout(r, delay));
      console.warn(`Warning: ${name}`);
      return name;
    };
    const [a, b] = await Promise.all([captureWarnings(task('a', 30)), captureWarnings(task('b', 0))]);
    expect(a.warnings).toEqual(['pdf.js: a']);
    expect(b.warnings).toEqual(['pdf.js: b']);
  });

  it('restores the console after a failing task and keeps the queue going', async () => {
    const warn = console.warn;
    await expect(captureWarnings(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(console.warn).toBe(warn);
    await expect(captureWarnings(async () => 'next')).resolves.toMatchObject({ value: 'next' });
  });
});
