import { describe, expect, it } from 'vitest';
import { createExtractor, extractorNames } from '../../src/extract/registry.ts';
import { InputError } from '../../src/util/errors.ts';

describe('extractor registry', () => {
  it('creates each named extractor with its id', () => {
    expect(extractorNames()).toEqual(['pdf-parse', 'pdfjs', 'mupdf', 'router']);
    for (const name of extractorNames()) expect(createExtractor(name).id).toBe(name);
  });

  it('loads no PDF library until an extractor reads a file', () => {
    for (const name of extractorNames()) createExtractor(name);
    const loaded = Object.keys(globalThis).filter((k) => k.startsWith('$libmupdf') || k.startsWith('pdfjs'));
    expect(loaded).toEqual([]);
  });

  it('rejects an unknown name, listing the known ones', () => {
    expect(() => createExtractor('tesseract')).toThrow(InputError);
    expect(() => createExtractor('toString')).toThrow('unknown extractor "toString"; known: pdf-parse, pdfjs, mupdf, router');
  });
});
