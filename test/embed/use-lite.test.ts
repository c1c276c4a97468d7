import { afterAll, describe, expect, it } from 'vitest';
import { UseLiteEmbedder } from '../../src/embed/use-lite.ts';
import { dot } from '../../src/embed/vector.ts';

const model = new UseLiteEmbedder(4);
afterAll(() => model.close());

describe('UseLiteEmbedder (real model, offline)', () => {
  it('embeds to unit-length 512-d vectors where paraphrases are closer than unrelated text', async () => {
    const [a, b, c] = await model.embedDocuments([
      'The Normans were descended from Norse raiders who settled in northern France.',
      'Norse Vikings who settled in the north of France became the Normans.',
      'The steam engine uses hot water vapour to drive a piston.',
    ]);
    for (const v of [a, b, c]) {
      expect(v).toHaveLength(512);
      expect(Math.sqrt(dot(v as Float32Array, v as Float32Array))).toBeCloseTo(1, 5);
    }
    expect(dot(a as Float32Array, b as Float32Array)).toBeGreaterThan(dot(a as Float32Array, c as Float32Array) + 0.2);
  });

  it('gives the same vector in any batch (batches of 4 here) and for a query', async () => {
    const texts = ['one', 'two words', 'three little words', 'four', 'five', 'and a sixth text'];
    const batched = await model.embedDocuments(texts);
    const single = await model.embedQuery('and a sixth text');
    expect(batched).toHaveLength(6);
    expect(dot(batched[5] as Float32Array, single)).toBeCloseTo(1, 5);
    expect(await model.embedDocuments([])).toEqual([]);
  });

  it('loads again after close', async () => {
    const e = new UseLiteEmbedder();
    const before = await e.embedQuery('hello');
    await e.close();
    await e.close();
    expect(dot(before, await e.embedQuery('hello'))).toBeCloseTo(1, 5);
    await e.close();
  });
});
