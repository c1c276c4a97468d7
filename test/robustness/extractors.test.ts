/**
 * The robustness corpus through every registered extractor: each file is either refused with an
 * ExtractionError that names it and the reason, or read with the text it says, page by page.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExtractor, extractorNames } from '../../src/extract/registry.ts';
import { ExtractionError, type Extractor } from '../../src/extract/types.ts';
import { buildAesCorpus } from '../../scripts/make-robustness-corpus.ts';
import { AES_EXPECTATIONS, corpusFile, flat, idOf, isRefused, readBy, refusedBy, type Ingested, type Refused } from './corpus.ts';

async function expectRefused(extractor: Extractor, path: string, { refused }: Refused): Promise<void> {
  const err = await extractor.extract(path, 'doc').then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err, `${path} was read, not refused`).toBeInstanceOf(ExtractionError);
  const { reason, message, file } = err as ExtractionError;
  expect(file).toBe(path);
  expect(reason).toMatch(refused);
  expect(message).toBe(`${path}: ${reason}`);
}

async function expectRead(extractor: Extractor, path: string, expected: Ingested): Promise<void> {
  const doc = await extractor.extract(path, idOf(expected.name));
  expect(doc.pages.map((p) => flat(p.text))).toEqual(expected.pages);
  expect(flat(doc.text)).toBe(expected.pages.filter((p) => p !== '').join(' '));
  if (!expected.libraryWarning) {
    expect(doc.warnings).toEqual(expected.warnings);
    return;
  }
  // A repaired file is never read silently: the library's own words say it was repaired.
  for (const w of expected.warnings) expect(doc.warnings).toContain(w);
  const library = doc.extractor === 'mupdf' ? expected.libraryWarning.mupdf : expected.libraryWarning.pdfjs;
  expect(doc.warnings.some((w) => library.test(w)), doc.warnings.join('\n')).toBe(true);
}

let aesDir: string;
beforeAll(async () => {
  aesDir = await mkdtemp(join(tmpdir(), 'ragbench-aes-'));
  for (const [name, bytes] of await buildAesCorpus()) await writeFile(join(aesDir, name), bytes);
});
afterAll(async () => {
  if (aesDir) await rm(aesDir, { recursive: true, force: true });
});

describe.each(extractorNames())('robustness corpus through extractor %s', (name) => {
  const extractor = createExtractor(name);
  afterAll(() => extractor.close?.());

  it.each(refusedBy(name))('refuses $name naming the file and the reason', (e) => expectRefused(extractor, corpusFile(e.name), e));

  it.each(readBy(name))('reads $name: the text it says on each page, and its warnings', (e) => expectRead(extractor, corpusFile(e.name), e));

  it.each(AES_EXPECTATIONS)('AES-256 (written at test time): $name', (e) =>
    isRefused(e) ? expectRefused(extractor, join(aesDir, e.name), e) : expectRead(extractor, join(aesDir, e.name), e),
  );
});
