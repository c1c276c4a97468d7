import type { Command } from 'commander';
import { parse } from 'yaml';
import { DEFAULT_PIPELINE } from '../pipeline/defaults.ts';
import type { PipelineConfig } from '../pipeline/pipeline.ts';
import { ComponentSchema, type Component } from '../suite/schema.ts';
import { describeZodIssues, InputError } from '../util/errors.ts';

/** A stage as a command-line value: its name, or a YAML flow map of its options. */
function componentText(component: string | Readonly<Record<string, unknown>>): string {
  if (typeof component === 'string') return component;
  return `{${Object.entries(component).map(([key, value]) => `${key}: ${String(value)}`).join(', ')}}`;
}

/** Adds --extractor/--chunker/--retriever/--embedder/--store, each a name or a YAML flow map; unnamed stages are the shipped pipeline's. */
export function addStageOptions(cmd: Command): Command {
  const d = DEFAULT_PIPELINE;
  return cmd
    .option('--extractor <spec>', 'pdf-parse | pdfjs | mupdf | router', componentText(d.extractor))
    .option('--chunker <spec>', 'paragraph | sentence | fixed | semantic, or e.g. "{name: sentence, n: 3}"', componentText(d.chunker))
    .option('--retriever <spec>', 'maxsim | hybrid | bm25 | dense, or e.g. "{name: hybrid, fusion: rrf}"', componentText(d.retriever))
    .option('--embedder <spec>', 'use-lite | minilm | bge-small | ...', componentText(d.embedder))
    .option('--store <spec>', 'faiss-flat | faiss-hnsw | hnswlib | exact | chroma | pgvector | ...', componentText(d.store))
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
