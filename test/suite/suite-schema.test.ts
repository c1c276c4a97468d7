import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSuite, parseSuite } from '../../src/suite/load.ts';
import { expandSuite } from '../../src/suite/matrix.ts';
import { evenSample, selectQuestions } from '../../src/suite/sample.ts';
import { validateRuns } from '../../src/suite/validate.ts';
import type { GoldenQuestion } from '../../src/evaluate/golden.ts';
import { InputError } from '../../src/util/errors.ts';

describe('suite YAML', () => {
  it('applies defaults', () => {
    const s = parseSuite('name: x\n', 'x.yml');
    expect(s.k).toBe(5);
    expect(s.latency).toEqual({ samples: 300, rounds: 3 });
    expect(s.golden).toBe('../golden/squad-dev');
    expect(s.split).toBe('test');
    expect(expandSuite(s)).toEqual([
      {
        name: 'default',
        run: {
          extractor: { name: 'router' },
          chunker: { name: 'sentence' },
          retriever: { name: 'dense' },
          embedder: { name: 'use-lite' },
          store: { name: 'faiss-flat' },
        },
      },
    ]);
  });

  it.each([
    ['k: 0', 'x.yml: k: '],
    ['k: five', 'x.yml: k: '],
    ['latency: { samples: 5 }', 'x.yml: latency.samples: '],
    ['latency: { samples: 50, rounds: 5 }', 'x.yml: latency: each round needs at least 20 samples'],
    ['split: train', 'x.yml: split: '],
    ['inject: { slowdown: 0.5 }', 'x.yml: inject.slowdown: '],
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
    const runs = expandSuite(s).map((r) => r.run);
    const ids = runs.map((r) => `${r.extractor.name}/${r.store.name}/${r.retriever.name}`);
    // router+faiss-flat appears in both blocks: once. BM25 uses no store: both bm25 runs are one.
    expect(ids).toEqual(['router/faiss-flat/dense', 'mupdf/faiss-flat/dense', 'router/faiss-hnsw/dense', 'router/none/bm25']);
    expect(runs[0]?.chunker).toEqual({ name: 'sentence', n: 3 });
  });

  it('names runs by what differs from the defaults, short and unique', () => {
    const s = parseSuite(
      [
        'name: m',
        'matrix:',
        '  - { extractor: [router, mupdf] }',
        '  - { chunker: [sentence, { name: fixed, maxChars: 1000 }] }',
        '  - { retriever: [bm25, { name: hybrid, fusion: convex, denseWeight: 0.3, bm25Weight: 0.7 }] }',
        'runs:',
        '  - { retriever: bm25, chunker: { name: fixed, maxChars: 1000 } }',
        '  - { name: candidate, retriever: hybrid }',
      ].join('\n'),
      'm.yml',
    );
    expect(expandSuite(s).map((r) => r.name)).toEqual([
      'default',
      'mupdf',
      'fixed1000',
      'bm25',
      'hybrid-convex-0.3-0.7',
      'bm25·fixed1000',
      'candidate',
    ]);
  });

  it('a named explicit run that repeats a matrix configuration names it; a duplicate name is an error', () => {
    const named = parseSuite('name: m\nmatrix: [{ retriever: [dense, bm25] }]\nruns: [{ name: lexical, retriever: bm25 }]\n', 'm.yml');
    expect(expandSuite(named).map((r) => r.name)).toEqual(['default', 'lexical']);
    const twice = parseSuite('name: m\nruns: [{ name: a, retriever: bm25 }, { name: a, retriever: dense }]\n', 'm.yml');
    expect(() => expandSuite(twice, 'm.yml')).toThrowError('m.yml: runs: name "a" is used twice');
  });

  it('samples questions evenly and deterministically', () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    expect(evenSample(items, 5)).toEqual([0, 2, 4, 6, 8]);
    expect(evenSample(items, 3)).toEqual([0, 3, 6]);
    expect(evenSample(items, undefined)).toEqual(items);
    expect(evenSample(items, 50)).toEqual(items);
  });
});

describe('stage validation at load', () => {
  it('names every unknown stage and bad option, by run, before any work', () => {
    const s = parseSuite(
      [
        'name: v',
        'runs:',
        '  - { extractor: pdfminer }',
        '  - { chunker: { name: fixed, maxChar: 900 } }',
        '  - { retriever: { name: hybrid, fusion: average } }',
        '  - { store: { name: hnswlib, efSearh: 10 } }',
        '  - { embedder: word2vec }',
        '  - { extractor: { name: mupdf, dpi: 300 } }',
        '  - { store: no-such-store }',
      ].join('\n'),
      'v.yml',
    );
    let message = '';
    try {
      validateRuns('v.yml', expandSuite(s, 'v.yml'));
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      message = (err as Error).message;
    }
    expect(message).toContain('unknown extractor "pdfminer"');
    expect(message).toMatch(/chunker "fixed": .*maxChar/);
    expect(message).toMatch(/retriever "hybrid": fusion/);
    expect(message).toMatch(/hnswlib.*efSearh/);
    expect(message).toContain('unknown embedder "word2vec"');
    expect(message).toContain('extractor "mupdf" takes no options (got dpi)');
    expect(message).toContain('unknown vector store "no-such-store"');
  });

  it('passes the default suite and every bundled suite', async () => {
    for (const file of ['suites/default.yml', 'suites/full.yml']) {
      const suite = await loadSuite(file);
      expect(() => validateRuns(file, expandSuite(suite, file))).not.toThrow();
    }
  });
});

describe('question selection', () => {
  const q = (id: string, answerable: boolean, split?: 'dev' | 'test', answers: string[] = ['Paris']): GoldenQuestion => ({
    id,
    question: `q ${id}?`,
    answerable,
    answers: answerable ? answers : [],
    evidence: answerable ? [{ doc: 'd', page: 1, pageEnd: 1, text: 'Paris is here.' }] : [],
    ...(split && { split }),
  });

  it('scores the asked split; questions without a split count as test; records the sample', () => {
    const all = [q('a', true, 'dev'), q('b', false, 'dev'), q('c', true, 'test', ['X']), q('d', false), q('e', true, 'test')];
    const test = selectQuestions(all, 'test', undefined);
    expect(test.questions.map((x) => x.id)).toEqual(['c', 'd', 'e']);
    expect(test.sample).toEqual({
      split: 'test', method: 'all', seed: null, size: 3, answerable: 2, unanswerable: 1, shortAnswers: 1, ids: ['c', 'd', 'e'],
    });
    expect(selectQuestions(all, 'dev', undefined).sample.ids).toEqual(['a', 'b']);
    const sampled = selectQuestions(all, 'all', 2);
    expect(sampled.sample).toMatchObject({ split: 'all', method: 'even', size: 2 });
  });

  it('a set without splits is scored whole whatever the suite asks', () => {
    const all = [q('a', true), q('b', false)];
    expect(selectQuestions(all, 'test', undefined).sample).toMatchObject({ split: 'all', size: 2 });
  });
});
