import { afterAll, describe, expect, it } from 'vitest';
import { createChunker, type ChunkerSpec } from '../../src/chunk/registry.ts';
import { UseLiteEmbedder } from '../../src/embed/use-lite.ts';
import { EDGE_DOCS } from './edge-docs.ts';
import { expectProvenance } from './invariants.ts';
import { readPdf, R_INTRO } from './pdf.ts';

// The shared contract every chunker passes: provenance on a whole real manual and on edge cases.
const embedder = new UseLiteEmbedder();
afterAll(() => embedder.close?.());

const wholeManual = readPdf(R_INTRO, 1, 113);
// The semantic chunker embeds every sentence (~12 texts/s here), so it reads two pages.
const twoPages = readPdf(R_INTRO, 11, 12);

const SPECS: { spec: ChunkerSpec; manual: typeof wholeManual }[] = [
  { spec: { name: 'fixed' }, manual: wholeManual },
  { spec: { name: 'fixed', size: 120, overlap: 30 }, manual: wholeManual },
  { spec: { name: 'sentence' }, manual: wholeManual },
  { spec: { name: 'sentence', n: 2, overlap: 1, maxChars: 150 }, manual: wholeManual },
  { spec: { name: 'semantic' }, manual: twoPages },
  { spec: { name: 'semantic', percentile: 50, minChars: 50, maxChars: 300 }, manual: twoPages },
];

describe.each(SPECS)('$spec.name chunker $spec', ({ spec, manual }) => {
  const chunker = createChunker(spec, { embedder });

  it(`keeps exact provenance on R-intro pages ${manual.pages[0]?.page}-${manual.pages.at(-1)?.page}`, async () => {
    const chunks = await chunker.chunk(manual);
    expect(chunks.length).toBeGreaterThan(manual === wholeManual ? 100 : 3);
    expectProvenance(manual, chunks);
    // Real text spans pages: some chunk must start on one page and end on the next.
    if (manual === wholeManual) expect(chunks.some((c) => c.pageEnd === c.page + 1)).toBe(true);
  });

  it.each(Object.entries(EDGE_DOCS))('keeps exact provenance on the %s document', async (_, doc) => {
    expectProvenance(doc, await chunker.chunk(doc));
  });

  it('gives the same chunks for the same document', async () => {
    expect(await chunker.chunk(EDGE_DOCS.pageBoundary!)).toEqual(await chunker.chunk(EDGE_DOCS.pageBoundary!));
  });

  it('makes no chunk of an empty document', async () => {
    expect(await chunker.chunk(EDGE_DOCS.empty!)).toEqual([]);
  });
});
