/**
 * The data the backend benchmarks share, so every backend is measured on identical vectors:
 * sentences of a golden set's evidence passages and its real questions, embedded with USE-lite
 * once and cached under .cache/backends-bench/.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { UseLiteEmbedder } from '../../src/embed/use-lite.ts';
import { loadGoldenSet } from '../../src/evaluate/golden.ts';

export const repoRoot = resolve(import.meta.dirname, '../..');
const cacheDir = join(repoRoot, '.cache', 'backends-bench');
const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

function sentences(paragraph: string): string[] {
  return [...segmenter.segment(paragraph.replace(/\s+/g, ' '))]
    .map((s) => s.segment.trim())
    .filter((s) => s.length >= 30 && s.length <= 400);
}

/** Up to `n` distinct evidence sentences and up to 500 questions of the golden set. */
export async function benchCorpus(goldenDir: string, n: number): Promise<{ texts: string[]; questions: string[] }> {
  const set = await loadGoldenSet(goldenDir);
  const texts = [...new Set(set.questions.flatMap((q) => q.evidence.flatMap((e) => sentences(e.text))))].slice(0, n);
  const questions = set.questions.map((q) => q.question.trim()).slice(0, 500);
  return { texts, questions };
}

/** Embeddings of `texts`, from the cache file when an earlier run made it. */
export async function embedCached(embedder: UseLiteEmbedder, texts: readonly string[]): Promise<Float32Array[]> {
  mkdirSync(cacheDir, { recursive: true });
  const key = createHash('sha256').update(embedder.id).update(JSON.stringify(texts)).digest('hex').slice(0, 24);
  const file = join(cacheDir, `${embedder.id}-${key}.f32`);
  const d = embedder.dimensions;
  let flat: Float32Array;
  if (existsSync(file)) {
    const bytes = readFileSync(file);
    flat = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  } else {
    const started = performance.now();
    flat = new Float32Array(texts.length * d);
    for (let i = 0; i < texts.length; i += 256) {
      const vectors = await embedder.embedDocuments(texts.slice(i, i + 256));
      vectors.forEach((v, j) => flat.set(v, (i + j) * d));
      process.stdout.write(`  embedded ${Math.min(i + 256, texts.length)}/${texts.length}\r`);
    }
    writeFileSync(file, flat);
    console.log(`  embedded ${texts.length} texts in ${((performance.now() - started) / 1000).toFixed(0)} s`);
  }
  return Array.from({ length: texts.length }, (_, i) => flat.slice(i * d, (i + 1) * d));
}

/** The options every backend benchmark takes: --golden DIR, --n sentences, --batch size. */
export function benchArgs(): { golden: string; n: number; batch: number } {
  const { values } = parseArgs({
    options: {
      golden: { type: 'string', default: resolve(repoRoot, 'golden/squad-dev') },
      n: { type: 'string', default: '3000' },
      batch: { type: 'string', default: '500' },
    },
  });
  return { golden: values.golden, n: Number(values.n), batch: Number(values.batch) };
}
