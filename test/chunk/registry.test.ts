import { describe, expect, it } from 'vitest';
import { chunkerNames, createChunker } from '../../src/chunk/registry.ts';
import { UseLiteEmbedder } from '../../src/embed/use-lite.ts';
import { InputError } from '../../src/util/errors.ts';

const embedder = new UseLiteEmbedder(); // not loaded until it embeds

describe('chunker registry', () => {
  it('lists the chunkers by name', () => {
    expect(chunkerNames()).toEqual(['fixed', 'sentence', 'semantic', 'paragraph']);
  });

  it('applies defaults and labels each chunker with its parameters', () => {
    expect(createChunker({ name: 'fixed' }).id).toBe('fixed(size=800,overlap=100)');
    expect(createChunker({ name: 'sentence' }).id).toBe('sentence(n=5,overlap=1,maxChars=1500)');
    expect(createChunker({ name: 'semantic' }, { embedder }).id).toBe(
      'semantic(embedder=use-lite,buffer=1,percentile=95,minChars=200,maxChars=1500)',
    );
    expect(createChunker({ name: 'fixed', size: 400, overlap: 0 }).id).toBe('fixed(size=400,overlap=0)');
    expect(createChunker({ name: 'semantic', percentile: 90.5, bufferSize: 0 }, { embedder }).id).toContain(
      'buffer=0,percentile=90.5',
    );
  });

  const bad: [Record<string, unknown> & { name: string }, string][] = [
    [{ name: 'fixed', sise: 300 }, 'chunker "fixed": (root): Unrecognized key: "sise"'],
    [{ name: 'fixed', size: 0 }, 'chunker "fixed": size: Too small'],
    [{ name: 'fixed', size: 12.5 }, 'chunker "fixed": size: Invalid input: expected int'],
    [{ name: 'fixed', size: '800' }, 'chunker "fixed": size: Invalid input: expected number, received string'],
    [{ name: 'fixed', size: 100, overlap: 100 }, 'chunker "fixed": overlap: overlap must be smaller than size'],
    [{ name: 'sentence', overlap: 5 }, 'chunker "sentence": overlap: overlap must be smaller than n'],
    [{ name: 'sentence', n: -1 }, 'chunker "sentence": n: Too small'],
    [{ name: 'semantic', percentile: 101 }, 'chunker "semantic": percentile: Too big'],
    [{ name: 'semantic', minChars: 900, maxChars: 800 }, 'chunker "semantic": minChars: minChars must not exceed maxChars'],
    [{ name: 'clustering' }, 'chunker "clustering": unknown (known: fixed, sentence, semantic, paragraph)'],
    [{ name: 'toString' }, 'chunker "toString": unknown'],
    [{ name: 42 } as unknown as { name: string }, 'chunker: name must be a string, got 42'],
  ];

  it.each(bad)('rejects %j naming the option', (spec, message) => {
    expect(() => createChunker(spec, { embedder })).toThrow(InputError);
    expect(() => createChunker(spec, { embedder })).toThrow(message);
  });

  it('rejects a semantic chunker without an embedder', () => {
    expect(() => createChunker({ name: 'semantic' })).toThrow(
      new InputError('chunker "semantic": needs an embedder to find topic shifts, and none was given'),
    );
  });
});
