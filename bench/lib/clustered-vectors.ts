/**
 * Seeded synthetic embeddings for the scale benchmarks: unit vectors clustered around topic
 * centres, as real chunk embeddings cluster by document (the recipe of
 * test/store/consensus/fixtures.ts: centre + spread x unit noise, normalised), written straight
 * into one flat Float32Array so 1M x 512 costs its 2 GB and no per-vector objects.
 *
 * Vector i depends only on the seed and i (topic and noise come from one stream, in order), so a
 * smaller set is the prefix of a larger one: 100k is the first 100k of 1M.
 */
import { seededRandom } from '../../src/stats/random.ts';

export interface ClusteredSpec {
  dimensions: number;
  /** Topics (documents) the vectors cluster around. */
  clusters: number;
  /** Noise length relative to the unit centre: cosine to the centre is 1/sqrt(1 + spread²). */
  spread: number;
  seed: number;
}

export const DEFAULT_SPEC: ClusteredSpec = { dimensions: 512, clusters: 1000, spread: 0.8, seed: 7 };

/** Standard normal draws (Box-Muller, both outputs used). */
function gaussians(next: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const angle = 2 * Math.PI * next();
    spare = r * Math.sin(angle);
    return r * Math.cos(angle);
  };
}

function normalise(v: Float32Array): Float32Array {
  let norm = 0;
  for (let i = 0; i < v.length; i++) norm += (v[i] as number) ** 2;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < v.length; i++) v[i] = (v[i] as number) * scale;
  return v;
}

/** The topic centres: uniform unit vectors (a seed of their own, so every set shares them). */
export function clusterCentres(spec: ClusteredSpec): Float32Array[] {
  const gauss = gaussians(seededRandom(spec.seed));
  return Array.from({ length: spec.clusters }, () => normalise(Float32Array.from({ length: spec.dimensions }, gauss)));
}

/**
 * `count` clustered unit vectors in one flat array (vector i at i*d), and the topic of each.
 * `stream` separates independent sets over the same centres (0: the corpus, 1: the queries).
 */
export function clusteredVectors(spec: ClusteredSpec, count: number, stream = 0): { flat: Float32Array; topics: Uint32Array } {
  const d = spec.dimensions;
  const centres = clusterCentres(spec);
  const next = seededRandom(spec.seed * 1_000_003 + 17 + stream);
  const gauss = gaussians(next);
  const flat = new Float32Array(count * d);
  const topics = new Uint32Array(count);
  const noise = new Float32Array(d);
  for (let i = 0; i < count; i++) {
    const topic = Math.floor(next() * spec.clusters);
    topics[i] = topic;
    const centre = centres[topic] as Float32Array;
    let norm = 0;
    for (let j = 0; j < d; j++) {
      const g = gauss();
      noise[j] = g;
      norm += g * g;
    }
    const scale = spec.spread / Math.sqrt(norm);
    const v = flat.subarray(i * d, (i + 1) * d);
    for (let j = 0; j < d; j++) v[j] = (centre[j] as number) + scale * (noise[j] as number);
    normalise(v);
  }
  return { flat, topics };
}

/** Vector i of a flat array, as a view (no copy). */
export function vectorAt(flat: Float32Array, dimensions: number, i: number): Float32Array {
  return flat.subarray(i * dimensions, (i + 1) * dimensions);
}
