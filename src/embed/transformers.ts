import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FeatureExtractionPipeline } from '@xenova/transformers';
import { InputError } from '../util/errors.ts';
import type { Embedder } from './types.ts';
import { l2normalize } from './vector.ts';

/** How a sentence-transformers model turns token states into one vector (from its model card). */
export interface TransformersModelSpec {
  /** The Hugging Face repo of the ONNX export transformers.js reads, e.g. "Xenova/all-MiniLM-L6-v2". */
  repo: string;
  dimensions: number;
  pooling: 'mean' | 'cls';
  /** Prepended to queries, e.g. bge's "Represent this sentence for searching relevant passages: ". */
  queryPrefix: string;
  /** Prepended to documents, e.g. e5's "passage: ". */
  documentPrefix: string;
}

export const MODELS_DIR_ENV = 'RAGBENCH_MODELS_DIR';
export const DEFAULT_MODELS_DIR = 'models';

export interface TransformersEmbedderOptions {
  /** Root holding `<repo>/...`; default $RAGBENCH_MODELS_DIR, else `models/`. */
  modelsDir?: string;
  /** Read onnx/model_quantized.onnx (int8, transformers.js's default) rather than onnx/model.onnx. */
  quantized?: boolean;
  /** Texts per forward pass: padding is to the longest text in a batch. */
  batchSize?: number;
}

/** The local model files are not there: names the directory, the missing files and the fix. */
export class ModelWeightsMissingError extends InputError {
  constructor(
    readonly modelId: string,
    readonly directory: string,
    readonly missing: readonly string[],
    repo: string,
  ) {
    super(
      `${modelId}: model files not found in ${directory} (missing: ${missing.join(', ')}). ` +
        `Weights are never downloaded at run time. On a machine with internet, fetch the Hugging Face repo ` +
        `${repo} (e.g. \`git clone https://huggingface.co/${repo}\`) and copy its files so that ` +
        `${join(directory, missing[0] ?? '')} exists; or point ${MODELS_DIR_ENV} (or the modelsDir option) ` +
        `at a directory that holds ${repo}/.`,
    );
    this.name = 'ModelWeightsMissingError';
  }
}

export function resolveModelsDir(option?: string): string {
  return resolve(option ?? process.env[MODELS_DIR_ENV] ?? DEFAULT_MODELS_DIR);
}

/** Files transformers.js reads for a feature-extraction pipeline. */
export function requiredModelFiles(quantized: boolean): string[] {
  return ['config.json', 'tokenizer.json', 'tokenizer_config.json', `onnx/model${quantized ? '_quantized' : ''}.onnx`];
}

/**
 * transformers.js's `env` is process-global and read while a model loads, so loads (possibly
 * from different directories) run one at a time.
 */
let loadQueue: Promise<unknown> = Promise.resolve();

async function loadPipeline(modelsDir: string, repo: string, quantized: boolean): Promise<FeatureExtractionPipeline> {
  const run = loadQueue.then(async () => {
    const { env, pipeline } = await import('@xenova/transformers');
    env.allowRemoteModels = false;
    env.allowLocalModels = true;
    env.localModelPath = modelsDir + '/';
    return pipeline('feature-extraction', repo, { quantized });
  });
  loadQueue = run.catch(() => undefined);
  return run;
}

/** A sentence-transformers model run by transformers.js (ONNX Runtime) from local files only. */
export class TransformersEmbedder implements Embedder {
  readonly dimensions: number;
  readonly modelDir: string;
  private readonly modelsDir: string;
  private readonly quantized: boolean;
  private readonly batchSize: number;
  private model: Promise<FeatureExtractionPipeline> | undefined;

  constructor(
    readonly id: string,
    readonly spec: TransformersModelSpec,
    options: TransformersEmbedderOptions = {},
  ) {
    this.dimensions = spec.dimensions;
    this.modelsDir = resolveModelsDir(options.modelsDir);
    this.modelDir = join(this.modelsDir, spec.repo);
    this.quantized = options.quantized ?? true;
    this.batchSize = options.batchSize ?? 16;
  }

  private load(): Promise<FeatureExtractionPipeline> {
    this.model ??= (async () => {
      const missing = requiredModelFiles(this.quantized).filter((f) => !existsSync(join(this.modelDir, f)));
      if (missing.length > 0) throw new ModelWeightsMissingError(this.id, this.modelDir, missing, this.spec.repo);
      try {
        return await loadPipeline(this.modelsDir, this.spec.repo, this.quantized);
      } catch (error) {
        throw new Error(`${this.id}: cannot load the model in ${this.modelDir}: ${(error as Error).message}`, {
          cause: error,
        });
      }
    })();
    // A failed load is not cached, so a user who adds the files can retry in the same process.
    this.model.catch(() => {
      this.model = undefined;
    });
    return this.model;
  }

  private async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const model = await this.load();
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.batchSize) {
      const batch = texts.slice(i, i + this.batchSize);
      const tensor = await model([...batch], { pooling: this.spec.pooling, normalize: false });
      const [rows, dims] = tensor.dims as [number, number];
      if (dims !== this.dimensions) {
        throw new Error(`${this.id}: the model in ${this.modelDir} yields ${dims}-d vectors, expected ${this.dimensions}`);
      }
      const data = tensor.data as Float32Array;
      for (let r = 0; r < rows; r++) out.push(l2normalize(data.slice(r * dims, (r + 1) * dims)));
    }
    return out;
  }

  embedDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    return this.embed(texts.map((t) => this.spec.documentPrefix + t));
  }

  async embedQuery(text: string): Promise<Float32Array> {
    const [v] = await this.embed([this.spec.queryPrefix + text]);
    return v as Float32Array;
  }

  async close(): Promise<void> {
    const model = this.model;
    this.model = undefined;
    if (model) await (await model.catch(() => undefined))?.dispose();
  }
}
