import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEmbedder, DEFAULT_EMBEDDER, embedderNames, TRANSFORMERS_MODELS } from '../../src/embed/registry.ts';
import { ModelWeightsMissingError, TransformersEmbedder } from '../../src/embed/transformers.ts';
import { UseLiteEmbedder } from '../../src/embed/use-lite.ts';
import { InputError } from '../../src/util/errors.ts';

describe('embedder registry', () => {
  it('lists use-lite first (the offline default) and the sentence-transformers models', () => {
    expect(DEFAULT_EMBEDDER).toBe('use-lite');
    expect(embedderNames()).toEqual(['use-lite', 'minilm', 'bge-small', 'bge-base', 'e5-small', 'gte-small']);
  });

  it('creates USE-lite without touching the disk', () => {
    const e = createEmbedder('use-lite', { batchSize: 8 });
    expect(e).toBeInstanceOf(UseLiteEmbedder);
    expect([e.id, e.dimensions]).toEqual(['use-lite', 512]);
  });

  it('follows each model card: MiniLM mean-pooled, bge CLS-pooled with its query instruction, e5 prefixes', () => {
    expect(TRANSFORMERS_MODELS['minilm']).toMatchObject({ repo: 'Xenova/all-MiniLM-L6-v2', dimensions: 384, pooling: 'mean', queryPrefix: '' });
    expect(TRANSFORMERS_MODELS['bge-small']).toMatchObject({
      repo: 'Xenova/bge-small-en-v1.5',
      dimensions: 384,
      pooling: 'cls',
      queryPrefix: 'Represent this sentence for searching relevant passages: ',
      documentPrefix: '',
    });
    expect(TRANSFORMERS_MODELS['e5-small']).toMatchObject({ queryPrefix: 'query: ', documentPrefix: 'passage: ' });
  });

  it('creates a transformers.js model whose id names its precision (the cache key)', () => {
    const quantized = createEmbedder('bge-small', { modelsDir: '/weights' });
    expect(quantized).toBeInstanceOf(TransformersEmbedder);
    expect([quantized.id, quantized.dimensions, (quantized as TransformersEmbedder).modelDir]).toEqual([
      'bge-small',
      384,
      '/weights/Xenova/bge-small-en-v1.5',
    ]);
    expect(createEmbedder('bge-small', { quantized: false }).id).toBe('bge-small:fp32');
  });

  it('fails on first use, not at creation, when the weights are absent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ragbench-registry-'));
    const e = createEmbedder('minilm', { modelsDir: dir, batchSize: 4 });
    await expect(e.embedDocuments(['text'])).rejects.toThrow(ModelWeightsMissingError);
    await expect(e.embedDocuments(['text'])).rejects.toThrow(join(dir, 'Xenova/all-MiniLM-L6-v2'));
  });

  it('rejects an unknown name, listing the known ones', () => {
    expect(() => createEmbedder('openai')).toThrow(InputError);
    expect(() => createEmbedder('openai')).toThrow(
      'unknown embedder "openai"; known: use-lite, minilm, bge-small, bge-base, e5-small, gte-small',
    );
  });
});
