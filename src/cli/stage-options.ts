import type { Command } from 'commander';
import { parse } from 'yaml';
import type { PipelineConfig } from '../pipeline/pipeline.ts';
import { ComponentSchema, type Component } from '../suite/schema.ts';
import { describeZodIssues, InputError } from '../util/errors.ts';

/** Adds --extractor/--chunker/--retriever/--embedder/--store, each a name or a YAML flow map. */
export function addStageOptions(cmd: Command): Command {
  return cmd
    .option('--extractor <spec>', 'pdf-parse | pdfjs | mupdf | router', 'router')
    .option('--chunker <spec>', 'fixed | sentence | semantic, or e.g. "{name: sentence, n: 3}"', 'sentence')
    .option('--retriever <spec>', 'dense | bm25 | hybrid', 'dense')
    .option('--embedder <spec>', 'use-lite | minilm | bge-small | ...', 'use-lite')
    .option('--store <spec>', 'faiss-flat | faiss-hnsw | hnswlib | exact', 'faiss-flat')
    .option('--cache <dir>', 'embedding cache folder', '.cache/embeddings');
}

function parseComponent(option: string, value: string): Component {
  let data: unknown = value;
  if (value.trim().startsWith('{')) {
    try {
      data = parse(value);
    } catch (err) {
      throw new InputError(`--${option}: invalid YAML: ${(err as Error).message}`);
    }
  }
  const r = ComponentSchema.safeParse(data);
  if (!r.success) throw new InputError(describeZodIssues(`--${option}`, r.error.issues));
  return r.data;
}

export function pipelineConfig(opts: Record<string, string>): PipelineConfig {
  return {
    extractor: parseComponent('extractor', opts.extractor as string),
    chunker: parseComponent('chunker', opts.chunker as string),
    retriever: parseComponent('retriever', opts.retriever as string),
    embedder: parseComponent('embedder', opts.embedder as string),
    store: parseComponent('store', opts.store as string),
    cacheDir: opts.cache as string,
  };
}
