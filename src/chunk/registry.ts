import type { z } from 'zod';
import type { Embedder } from '../embed/types.ts';
import { describeZodIssues, InputError } from '../util/errors.ts';
import { FixedChunker, fixedOptionsSchema } from './fixed.ts';
import { ParagraphChunker, paragraphOptionsSchema } from './paragraph.ts';
import { SemanticChunker, semanticOptionsSchema } from './semantic.ts';
import { SentenceChunker, sentenceOptionsSchema } from './sentence.ts';
import type { Chunker } from './types.ts';

export interface ChunkerDeps {
  embedder?: Embedder;
}

export type ChunkerSpec = { name: string } & Record<string, unknown>;

interface Entry {
  validate(options: Record<string, unknown>, where: string): void;
  create(options: Record<string, unknown>, deps: ChunkerDeps, where: string): Chunker;
}

/** Validates the options against `schema` before `make` sees them. */
function entry<S extends z.ZodType>(schema: S, make: (options: z.output<S>, deps: ChunkerDeps, where: string) => Chunker): Entry {
  return {
    validate(options, where) {
      const parsed = schema.safeParse(options);
      if (!parsed.success) throw new InputError(describeZodIssues(where, parsed.error.issues));
    },
    create(options, deps, where) {
      const parsed = schema.safeParse(options);
      if (!parsed.success) throw new InputError(describeZodIssues(where, parsed.error.issues));
      return make(parsed.data, deps, where);
    },
  };
}

const CHUNKERS: Record<string, Entry> = {
  fixed: entry(fixedOptionsSchema, (o) => new FixedChunker(o)),
  sentence: entry(sentenceOptionsSchema, (o) => new SentenceChunker(o)),
  semantic: entry(semanticOptionsSchema, (o, { embedder }, where) => {
    if (!embedder) throw new InputError(`${where}: needs an embedder to find topic shifts, and none was given`);
    return new SemanticChunker(o, embedder);
  }),
  paragraph: entry(paragraphOptionsSchema, (o) => new ParagraphChunker(o)),
};

export function chunkerNames(): string[] {
  return Object.keys(CHUNKERS);
}

function lookup(spec: ChunkerSpec): { entry: Entry; name: string; options: Record<string, unknown> } {
  const { name, ...options } = spec;
  if (typeof name !== 'string') throw new InputError(`chunker: name must be a string, got ${JSON.stringify(name)}`);
  const found = Object.hasOwn(CHUNKERS, name) ? CHUNKERS[name] : undefined;
  if (!found) throw new InputError(`chunker "${name}": unknown (known: ${chunkerNames().join(', ')})`);
  return { entry: found, name, options };
}

/** A chunker by registry name, its options validated (unknown or bad option -> InputError naming it). */
export function createChunker(spec: ChunkerSpec, deps: ChunkerDeps = {}): Chunker {
  const { entry: found, name, options } = lookup(spec);
  return found.create(options, deps, `chunker "${name}"`);
}

/** Checks a chunker name and options without building it (a suite validates every run at load). */
export function validateChunker(spec: ChunkerSpec): void {
  const { entry: found, name, options } = lookup(spec);
  found.validate(options, `chunker "${name}"`);
}
