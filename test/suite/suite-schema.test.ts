import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSuite, parseSuite } from '../../src/suite/load.ts';
import { expandSuite } from '../../src/suite/matrix.ts';
import { evenSample } from '../../src/suite/sample.ts';
import { InputError } from '../../src/util/errors.ts';

describe('suite YAML', () => {
  it('applies defaults', () => {
    const s = parseSuite('name: x\n', 'x.yml');
    expect(s.k).toBe(5);
    expect(s.latency).toEqual({ samples: 300, rounds: 3 });
    expect(s.golden).toBe('../golden/squad-dev');
    expect(expandSuite(s)).toEqual([
      {
        extractor: { name: 'router' },
        chunker: { name: 'sentence' },
        retriever: { name: 'dense' },
        embedder: { name: 'use-lite' },
        store: { name: 'faiss-flat' },
      },
    ]);
  });

  it.each([
    ['k: 0', 'x.yml: k: '],
    ['k: five', 'x.yml: k: '],
    ['latency: { samples: 5 }', 'x.yml: latency.samples: '],
    ['matrix: [{ extractors: [mupdf] }]', 'x.yml: matrix.0: '],
    ['runs: [{ chunker: 7 }]', 'x.yml: runs.0.chunker: '],
    ['color: blue', 'x.yml: (root): '],
  ])('rejects %s naming the field', (line, expected) => {
    expect(() => parseSuite(`name: x\n${line}\n`, 'x.yml')).toThrowError(InputError);
    expect(() => parseSuite(`name: x\n${line}\n`, 'x.yml')).toThrowError(expected);
  });

  it('names the file and position of a YAML syntax error', () => {
    expect(() => parseSuite('name: [unclosed\n', 'bad.yml')).toThrowError(/^bad\.yml: invalid YAML: /);
  });

  it('a missing name is named', () => {
    expect(() => parseSuite('k: 3\n', 'x.yml')).toThrowError('x.yml: name: ');
  });

  it('a missing file is an InputError naming it', async () => {
    await expect(loadSuite('/nonexistent/suite.yml')).rejects.toThrowError('/nonexistent/suite.yml: cannot read suite: ENOENT');
  });

  it('reads a file from disk', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'suite-'));
    await writeFile(join(dir, 's.yml'), 'name: disk\nk: 3\n');
    expect((await loadSuite(join(dir, 's.yml'))).k).toBe(3);
  });
});

describe('matrix expansion', () => {
  it('expands each block over the defaults and drops duplicates', () => {
    const s = parseSuite(
      [
        'name: m',
        'defaults: { chunker: { name: sentence, n: 3 } }',
        'matrix:',
        '  - { extractor: [router, mupdf] }',
        '  - { extractor: [router], store: [faiss-flat, faiss-hnsw] }',
        'runs:',
        '  - { retriever: bm25 }',
        '  - { retriever: bm25, store: exact }',
      ].join('\n'),
      'm.yml',
    );
    const runs = expandSuite(s);
    const ids = runs.map((r) => `${r.extractor.name}/${r.store.name}/${r.retriever.name}`);
    // router+faiss-flat appears in both blocks: once. BM25 uses no store: both bm25 runs are one.
    expect(ids).toEqual(['router/faiss-flat/dense', 'mupdf/faiss-flat/dense', 'router/faiss-hnsw/dense', 'router/none/bm25']);
    expect(runs[0]?.chunker).toEqual({ name: 'sentence', n: 3 });
  });

  it('samples questions evenly and deterministically', () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    expect(evenSample(items, 5)).toEqual([0, 2, 4, 6, 8]);
    expect(evenSample(items, 3)).toEqual([0, 3, 6]);
    expect(evenSample(items, undefined)).toEqual(items);
    expect(evenSample(items, 50)).toEqual(items);
  });
});
