import { existsSync } from 'node:fs';
import { parse } from 'yaml';
import { ComponentSchema } from '../suite/schema.ts';
import { savedStoreDimensions } from '../store/persist.ts';
import { createStore, validateStore } from '../store/registry.ts';
import type { VectorStore } from '../store/types.ts';
import { describeZodIssues, InputError } from '../util/errors.ts';
import { canonicalJson } from './canonical.ts';

/** A store as `--store` names it, plus `dimensions` for stores that cannot tell it themselves. */
export interface StoreSpec {
  name: string;
  options: Record<string, unknown>;
  /** The vectors' size when given in the spec (stripped before the store sees its options). */
  dimensions?: number;
}

/** Parses `--from` / `--to`: a registry name or a YAML/JSON flow map (`{name: pgvector, url: …}`). */
export function parseStoreSpec(flag: string, value: string | Record<string, unknown>): StoreSpec {
  let data: unknown = value;
  if (typeof value === 'string' && value.trim().startsWith('{')) {
    try {
      data = parse(value);
    } catch (error) {
      throw new InputError(`${flag}: invalid YAML: ${(error as Error).message}`);
    }
  }
  const parsed = ComponentSchema.safeParse(data);
  if (!parsed.success) throw new InputError(describeZodIssues(flag, parsed.error.issues));
  const component: { name: string } & Record<string, unknown> = typeof parsed.data === 'string' ? { name: parsed.data } : parsed.data;
  const { name, dimensions, ...options } = component;
  if (dimensions !== undefined && (typeof dimensions !== 'number' || !Number.isInteger(dimensions) || dimensions <= 0)) {
    throw new InputError(`${flag}: dimensions must be a positive integer, got ${JSON.stringify(dimensions)}`);
  }
  try {
    validateStore(name, options);
  } catch (error) {
    if (error instanceof InputError) throw new InputError(`${flag}: ${error.message}`);
    throw error;
  }
  return { name, options, ...(dimensions !== undefined && { dimensions: dimensions as number }) };
}

/** The spec as stable text: state folders and results name stores by it. */
export function describeSpec(spec: StoreSpec): string {
  return canonicalJson({ name: spec.name, ...spec.options, ...(spec.dimensions !== undefined && { dimensions: spec.dimensions }) });
}

/** The source's vector size: from the spec, else from the folder a saved store lives in. */
export function sourceDimensions(flag: string, spec: StoreSpec): number {
  const dir = typeof spec.options.dir === 'string' ? spec.options.dir : undefined;
  if (dir !== undefined) {
    const saved = existsSync(dir) ? savedStoreDimensions(dir) : undefined;
    if (saved === undefined) throw new InputError(`${flag}: nothing is saved in ${dir}: ingest into it first (ragbench ingest --store '{name: ${spec.name}, dir: ${dir}}' …) or name another dir`);
    if (spec.dimensions !== undefined && spec.dimensions !== saved) {
      throw new InputError(`${flag}: dimensions ${spec.dimensions} given, but ${dir} holds ${saved}-d vectors: drop the dimensions key`);
    }
    return saved;
  }
  if (spec.dimensions === undefined) {
    throw new InputError(`${flag}: give the vectors' size, e.g. '{name: ${spec.name}, dimensions: 512, …}': only a store saved in a folder (option dir) tells it itself`);
  }
  return spec.dimensions;
}

export function openStore(spec: StoreSpec, dimensions: number, extra: Record<string, unknown> = {}): Promise<VectorStore> {
  return createStore(spec.name, dimensions, { ...spec.options, ...extra });
}
