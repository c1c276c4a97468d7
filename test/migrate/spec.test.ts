import { describe, expect, it } from 'vitest';
import { defaultStateDir } from '../../src/migrate/runner.ts';
import { describeSpec, parseStoreSpec, sourceDimensions } from '../../src/migrate/spec.ts';
import { InputError } from '../../src/util/errors.ts';

describe('store specs for --from / --to', () => {
  it('takes a registry name or a YAML/JSON flow map, keeping dimensions apart from the store options', () => {
    expect(parseStoreSpec('--to', 'exact')).toEqual({ name: 'exact', options: {} });
    expect(parseStoreSpec('--to', '{name: pgvector, table: t1, dimensions: 384}')).toEqual({ name: 'pgvector', options: { table: 't1' }, dimensions: 384 });
    expect(parseStoreSpec('--to', '{"name": "chroma", "url": "http://127.0.0.1:8000"}')).toEqual({ name: 'chroma', options: { url: 'http://127.0.0.1:8000' } });
  });

  it('rejects bad specs with an InputError naming the flag and the problem', () => {
    const bad: [string, RegExp][] = [
      ['{name: pgvector, table: [', /^--from: invalid YAML/],
      ['{table: t}', /^--from: /],
      ['{name: nosuch}', /^--from: unknown vector store "nosuch"; known stores: .*faiss-flat/],
      ['{name: pgvector, tabel: t}', /^--from: pgvector options: .*tabel/],
      ['{name: exact, dimensions: -3}', /^--from: dimensions must be a positive integer, got -3/],
    ];
    for (const [spec, message] of bad) {
      expect(() => parseStoreSpec('--from', spec), spec).toThrow(InputError);
      expect(() => parseStoreSpec('--from', spec), spec).toThrow(message);
    }
  });

  it('needs the source dimensions from the spec unless a saved folder tells them', () => {
    expect(sourceDimensions('--from', parseStoreSpec('--from', '{name: pgvector, dimensions: 512}'))).toBe(512);
    expect(() => sourceDimensions('--from', parseStoreSpec('--from', 'pgvector'))).toThrow(/give the vectors' size/);
    expect(() => sourceDimensions('--from', parseStoreSpec('--from', '{name: faiss-flat, dir: /nonexistent/ragbench}'))).toThrow(
      /nothing is saved in \/nonexistent\/ragbench: ingest into it first/,
    );
  });

  it('names one state folder per pair of stores (and embedder), whatever the key order of the spec', () => {
    const a = parseStoreSpec('--from', '{name: faiss-flat, dir: x}');
    const b = parseStoreSpec('--to', '{name: pgvector, table: t, port: 5}');
    const b2 = parseStoreSpec('--to', '{port: 5, table: t, name: pgvector}');
    expect(describeSpec(b)).toBe(describeSpec(b2));
    expect(defaultStateDir(a, b)).toBe(defaultStateDir(a, b2));
    expect(defaultStateDir(a, b)).toMatch(/^\.cache\/migrations\/faiss-flat-to-pgvector-[0-9a-f]{12}$/);
    expect(defaultStateDir(a, b, 'minilm')).not.toBe(defaultStateDir(a, b));
    expect(defaultStateDir(b, a)).not.toBe(defaultStateDir(a, b));
  });
});
