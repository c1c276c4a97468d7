import { z } from 'zod';
import { dot } from '../embed/vector.ts';
import type { Embedder } from '../embed/types.ts';
import type { ExtractedDocument } from '../extract/types.ts';
import { buildChunks } from './build.ts';
import { boundedSentences } from './recursive.ts';
import type { Span } from './span.ts';
import type { Chunk, Chunker } from './types.ts';

export const semanticOptionsSchema = z
  .strictObject({
    /** Sentences on each side embedded with a sentence, to smooth out short ones (Kamradt's buffer). */
    bufferSize: z.int().nonnegative().default(1),
    /** Break where the distance between neighbouring windows exceeds this percentile of all of them. */
    percentile: z.number().min(0).max(100).default(95),
    /** A break that would leave a chunk shorter than this (characters) is not taken. */
    minChars: z.int().nonnegative().default(200),
    /** Longest chunk, in characters: a longer one is split again at its most distant break. */
    maxChars: z.int().positive().default(1500),
  })
  .refine((o) => o.minChars <= o.maxChars, { path: ['minChars'], error: 'minChars must not exceed maxChars' });

export type SemanticOptions = z.output<typeof semanticOptionsSchema>;

/**
 * Greg Kamradt's semantic chunking (LangChain's SemanticChunker, percentile breakpoints):
 * embed each sentence with its neighbours, and break where consecutive windows are far apart.
 */
export class SemanticChunker implements Chunker {
  readonly id: string;

  constructor(
    private readonly options: SemanticOptions,
    private readonly embedder: Embedder,
  ) {
    const o = options;
    this.id = `semantic(embedder=${embedder.id},buffer=${o.bufferSize},percentile=${o.percentile},minChars=${o.minChars},maxChars=${o.maxChars})`;
  }

  async chunk(doc: ExtractedDocument): Promise<Chunk[]> {
    const units = boundedSentences(doc.text, this.options.maxChars);
    if (units.length < 2) return buildChunks(doc, units); // nothing to compare: no need to embed
    const distances = await this.windowDistances(doc, units);
    const groups = groupUnits(units, distances, this.options);
    return buildChunks(
      doc,
      groups.map(([first, last]) => ({ start: (units[first] as Span).start, end: (units[last] as Span).end })),
    );
  }

  /** distances[i]: cosine distance between the windows around unit i and unit i + 1. */
  private async windowDistances(doc: ExtractedDocument, units: readonly Span[]): Promise<number[]> {
    const b = this.options.bufferSize;
    const texts = units.map((_, i) =>
      units
        .slice(Math.max(0, i - b), i + b + 1)
        .map((u) => doc.text.slice(u.start, u.end).replace(/\s+/gu, ' '))
        .join(' '),
    );
    // One call per document, each distinct window once (running headers repeat).
    const distinct = [...new Set(texts)];
    const vectors = await this.embedder.embedDocuments(distinct);
    if (vectors.length !== distinct.length) {
      throw new Error(`embedder ${this.embedder.id} returned ${vectors.length} vectors for ${distinct.length} texts`);
    }
    const byText = new Map(distinct.map((t, i) => [t, vectors[i] as Float32Array]));
    const embedded = texts.map((t) => byText.get(t) as Float32Array);
    return embedded.slice(1).map((v, i) => 1 - dot(embedded[i] as Float32Array, v));
  }
}

/** The p-th percentile with linear interpolation (numpy's default, which LangChain uses). */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  return a + ((sorted[hi] as number) - a) * (rank - lo);
}

/**
 * Inclusive ranges [first, last] of unit indices, in order, covering every unit. Breaks above
 * the threshold are taken strongest first, each only if both chunks it leaves are at least
 * minChars long. (LangChain checks only the chunk before a break, in text order, so a weak
 * break just before a strong one can block it and leave a sentence on the wrong side.)
 */
export function groupUnits(
  units: readonly Span[],
  distances: readonly number[],
  { percentile: p, minChars, maxChars }: SemanticOptions,
): [number, number][] {
  const length = (first: number, last: number): number => (units[last] as Span).end - (units[first] as Span).start;
  const distance = (i: number): number => distances[i] as number;
  const threshold = percentile(distances, p);
  const candidates = [...distances.keys()].filter((i) => distance(i) > threshold);
  candidates.sort((a, b) => distance(b) - distance(a) || a - b);
  const cuts: number[] = []; // break after these units; kept in order
  for (const i of candidates) {
    const before = cuts.findLast((c) => c < i) ?? -1;
    const after = cuts.find((c) => c > i) ?? units.length - 1;
    if (length(before + 1, i) >= minChars && length(i + 1, after) >= minChars) {
      cuts.push(i);
      cuts.sort((a, b) => a - b);
    }
  }
  const groups: [number, number][] = [];
  let first = 0;
  for (const cut of cuts) {
    groups.push([first, cut]);
    first = cut + 1;
  }
  groups.push([first, units.length - 1]);
  return groups.flatMap(([a, b]) => capGroup(a, b, distances, length, minChars, maxChars));
}

/** Splits a group longer than maxChars at its most distant break, preferring breaks that leave both sides at least minChars. */
function capGroup(
  first: number,
  last: number,
  distances: readonly number[],
  length: (first: number, last: number) => number,
  minChars: number,
  maxChars: number,
): [number, number][] {
  if (first === last || length(first, last) <= maxChars) return [[first, last]];
  let best = -1;
  let bestBalanced = -1;
  for (let i = first; i < last; i++) {
    const d = distances[i] as number;
    if (best < 0 || d > (distances[best] as number)) best = i;
    const balanced = length(first, i) >= minChars && length(i + 1, last) >= minChars;
    if (balanced && (bestBalanced < 0 || d > (distances[bestBalanced] as number))) bestBalanced = i;
  }
  const cut = bestBalanced >= 0 ? bestBalanced : best;
  return [
    ...capGroup(first, cut, distances, length, minChars, maxChars),
    ...capGroup(cut + 1, last, distances, length, minChars, maxChars),
  ];
}
