import { seededRandom } from '../../src/stats/random.ts';
import { readFileSync } from 'node:fs';
import { UseLiteEmbedder } from '../../src/embed/use-lite.ts';
import { l2normalize } from '../../src/embed/vector.ts';
import type { VectorRecord } from '../../src/store/types.ts';

interface SentenceFixture {
  sentences: { id: string; text: string }[];
  questions: string[];
}

export interface RealEmbeddings {
  dimensions: number;
  /** 44 real sentences (SQuAD 2.0 dev, CC BY-SA 4.0), embedded with USE-lite. */
  sentences: VectorRecord[];
  /** 12 real SQuAD questions about those paragraphs, embedded the same way. */
  questions: Float32Array[];
}

export async function embedFixture(): Promise<RealEmbeddings> {
  const fixture = JSON.parse(
    readFileSync(new URL('./fixtures/squad-sentences.json', import.meta.url), 'utf8'),
  ) as SentenceFixture;
  const embedder = new UseLiteEmbedder();
  const vectors = await embedder.embedDocuments(fixture.sentences.map((s) => s.text));
  const questions = await embedder.embedDocuments(fixture.questions);
  await embedder.close?.();
  return {
    dimensions: embedder.dimensions,
    sentences: fixture.sentences.map((s, i) => ({ id: s.id, vector: vectors[i] as Float32Array })),
    questions,
  };
}


/** Unit vectors with Gaussian coordinates: uniform on the sphere, a hard case for ANN. */
export function randomUnitVectors(count: number, dimensions: number, seed: number): Float32Array[] {
  const next = seededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
  return Array.from({ length: count }, () => l2normalize(Float32Array.from({ length: dimensions }, gaussian)));
}
