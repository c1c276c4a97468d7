import { describe, expect, it } from 'vitest';
import { createExtractor, extractorNames } from '../../src/extract/registry.ts';
import { InputError } from '../../src/util/errors.ts';

describe('extractor registry', () => {
  it('creates each named extractor with its id', () => {
    expect(extractorNames()).toEqual(['pdf-parse', 'pdfjs', 'mupdf', 'router']);
    for (const name of extractorNames()) expect(createExtractor(name).id).toBe(name);
  });

  it('rejects an unknown name, listing the known ones', () => {
    expect(() => createExtractor('tesseract')).toThrow(InputError);
    expect(() => createExtractor('toString')).toThrow('unknown extractor "toString"; known: pdf-parse, pdfjs, mupdf, router');
  });
});
