import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  ModelWeightsMissingError,
  MODELS_DIR_ENV,
  requiredModelFiles,
  resolveModelsDir,
  TransformersEmbedder,
  type TransformersModelSpec,
} from '../../src/embed/transformers.ts';
import { l2normalize } from '../../src/embed/vector.ts';
import { InputError } from '../../src/util/errors.ts';
import { TINY_DIMS, tinyRow, tinyTokenId, writeTinyBert } from './tiny-bert.ts';

const modelsDir = mkdtempSync(join(tmpdir(), 'ragbench-models-'));
writeTinyBert(modelsDir, 'test/tiny-bert');
const mean: TransformersModelSpec = { repo: 'test/tiny-bert', dimensions: TINY_DIMS, pooling: 'mean', queryPrefix: 'query: ', documentPrefix: 'passage: ' };
const cls: TransformersModelSpec = { ...mean, pooling: 'cls', queryPrefix: '', documentPrefix: '' };

const open: TransformersEmbedder[] = [];
function embedder(id: string, spec: TransformersModelSpec, options = {}): TransformersEmbedder {
  const e = new TransformersEmbedder(id, spec, { modelsDir, ...options });
  open.push(e);
  return e;
}
afterAll(async () => {
  for (const e of open) await e.close();
});

/** What mean pooling over [CLS] tokens [SEP] must give, normalised. */
function expectedMean(tokens: string[]): Float32Array {
  const ids = ['[CLS]', ...tokens, '[SEP]'].map(tinyTokenId);
  const sum = new Float32Array(TINY_DIMS);
  for (const id of ids) tinyRow(id).forEach((x, d) => (sum[d] = (sum[d] as number) + x / ids.length));
  return l2normalize(sum);
}

function expectClose(actual: Float32Array | undefined, expected: Float32Array): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((x, d) => expect((actual as Float32Array)[d]).toBeCloseTo(x, 5));
}

describe('TransformersEmbedder on a local model (tiny BERT run by transformers.js + ONNX Runtime)', () => {
  it('mean-pools token states over the attention mask, with the document prefix, unit length', async () => {
    const e = embedder('tiny-mean', mean);
    // Different lengths in one batch: the short text is padded, and padding must not count.
    const [long, short, unknown] = await e.embedDocuments(['The cat sat on the mat', 'dog', 'zebra']);
    expectClose(long, expectedMean(['passage', ':', 'the', 'cat', 'sat', 'on', 'the', 'mat']));
    expectClose(short, expectedMean(['passage', ':', 'dog']));
    expectClose(unknown, expectedMean(['passage', ':', '[UNK]']));
    expect(Math.hypot(...(long as Float32Array))).toBeCloseTo(1, 6);
  });

  it('prefixes queries with the query prefix', async () => {
    const e = embedder('tiny-mean', mean);
    expectClose(await e.embedQuery('fast dog'), expectedMean(['query', ':', 'fast', 'dog']));
  });

  it('CLS pooling takes the first token state: the same vector for any text of this model', async () => {
    const e = embedder('tiny-cls', cls);
    const vectors = await e.embedDocuments(['the cat', 'dog ran fast']);
    const clsRow = l2normalize(Float32Array.from(tinyRow(tinyTokenId('[CLS]'))));
    for (const v of vectors) expectClose(v, clsRow);
    expect(await e.embedDocuments([])).toEqual([]);
  });

  it('batches larger inputs and keeps their order', async () => {
    const e = embedder('tiny-batched', { ...mean, documentPrefix: '' }, { batchSize: 2 });
    const texts = ['cat', 'dog', 'mat', 'the cat ran', 'fast'];
    const vectors = await e.embedDocuments(texts);
    texts.forEach((t, i) => expectClose(vectors[i], expectedMean(t.split(' '))));
  });

  it('reads the full-precision onnx/model.onnx when quantized is false', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ragbench-models-'));
    writeTinyBert(dir, 'test/fp32', 'model.onnx');
    const e = embedder('tiny-fp32', { ...mean, repo: 'test/fp32', documentPrefix: '' }, { modelsDir: dir, quantized: false });
    expectClose((await e.embedDocuments(['cat']))[0], expectedMean(['cat']));
  });

  it('refuses a model whose vectors do not have the declared dimensions', async () => {
    const e = embedder('tiny-wrong-dims', { ...mean, dimensions: 384 });
    await expect(e.embedDocuments(['cat'])).rejects.toThrow(/tiny-wrong-dims: the model in .* yields 8-d vectors, expected 384/);
  });
});

describe('missing or broken model files', () => {
  it('names the directory it looked in, the missing files and how to get them', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ragbench-nomodels-'));
    const e = embedder('minilm', { ...mean, repo: 'Xenova/all-MiniLM-L6-v2', dimensions: 384 }, { modelsDir: empty });
    const error = await e.embedQuery('anything').catch((x: unknown) => x);
    expect(error).toBeInstanceOf(ModelWeightsMissingError);
    expect(error).toBeInstanceOf(InputError);
    const dir = join(empty, 'Xenova/all-MiniLM-L6-v2');
    expect((error as ModelWeightsMissingError).directory).toBe(dir);
    expect((error as Error).message).toBe(
      `minilm: model files not found in ${dir} (missing: config.json, tokenizer.json, tokenizer_config.json, onnx/model_quantized.onnx). ` +
        'Weights are never downloaded at run time. On a machine with internet, fetch the Hugging Face repo Xenova/all-MiniLM-L6-v2 ' +
        '(e.g. `git clone https://huggingface.co/Xenova/all-MiniLM-L6-v2`) and copy its files so that ' +
        `${join(dir, 'config.json')} exists; or point RAGBENCH_MODELS_DIR (or the modelsDir option) at a directory that holds Xenova/all-MiniLM-L6-v2/.`,
    );
  });

  it('lists only the files that are missing, and loads once they are there (no cached failure)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ragbench-partial-'));
    writeTinyBert(dir, 'test/partial');
    rmSync(join(dir, 'test/partial/onnx/model_quantized.onnx'));
    const e = embedder('partial', { ...mean, repo: 'test/partial', documentPrefix: '' }, { modelsDir: dir });
    await expect(e.embedDocuments(['cat'])).rejects.toThrow(/\(missing: onnx\/model_quantized\.onnx\)/);
    writeTinyBert(dir, 'test/partial');
    expectClose((await e.embedDocuments(['cat']))[0], expectedMean(['cat']));
  });

  it('wraps a load failure of present but broken files with the model directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ragbench-broken-'));
    writeTinyBert(dir, 'test/broken');
    writeFileSync(join(dir, 'test/broken/onnx/model_quantized.onnx'), 'not an onnx model');
    const e = embedder('broken', { ...mean, repo: 'test/broken' }, { modelsDir: dir });
    await expect(e.embedDocuments(['cat'])).rejects.toThrow(`broken: cannot load the model in ${join(dir, 'test/broken')}:`);
  });

  it('takes the models directory from the option, else RAGBENCH_MODELS_DIR, else models/', () => {
    const saved = process.env[MODELS_DIR_ENV];
    try {
      delete process.env[MODELS_DIR_ENV];
      expect(resolveModelsDir()).toBe(resolve('models'));
      process.env[MODELS_DIR_ENV] = '/opt/weights';
      expect(resolveModelsDir()).toBe('/opt/weights');
      expect(resolveModelsDir('rel/dir')).toBe(resolve('rel/dir'));
      expect(new TransformersEmbedder('x', mean).modelDir).toBe('/opt/weights/test/tiny-bert');
    } finally {
      if (saved === undefined) delete process.env[MODELS_DIR_ENV];
      else process.env[MODELS_DIR_ENV] = saved;
    }
  });

  it('knows which files a quantized and a full-precision model need', () => {
    expect(requiredModelFiles(true)).toContain('onnx/model_quantized.onnx');
    expect(requiredModelFiles(false)).toContain('onnx/model.onnx');
  });
});
