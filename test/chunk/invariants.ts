import { expect } from 'vitest';
import type { Chunk } from '../../src/chunk/types.ts';
import type { ExtractedDocument } from '../../src/extract/types.ts';

/** The page of `offset`, found by walking the pages (independently of pageAt's binary search). */
function pageOf(doc: ExtractedDocument, offset: number): number {
  let page = 1;
  for (const [i, start] of doc.pageStarts.entries()) if (start <= offset) page = i + 1;
  return page;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/**
 * What citations rely on, for every chunk: the text is exactly the document's text at the
 * offsets, pages are those of the first and last character, ids are deterministic and unique,
 * nothing is blank or padded, and every visible character of the document is in some chunk.
 */
export function expectProvenance(doc: ExtractedDocument, chunks: readonly Chunk[]): void {
  const ids = new Set<string>();
  let previousStart = -1;
  const covered = new Uint8Array(doc.text.length);
  for (const c of chunks) {
    expect(c.text).toBe(doc.text.slice(c.charStart, c.charEnd));
    expect(c.text.trim()).toBe(c.text);
    expect(c.text.length).toBeGreaterThan(0);
    expect(c.id).toBe(`${doc.docId}:${c.charStart}-${c.charEnd}`);
    expect(ids.has(c.id)).toBe(false);
    ids.add(c.id);
    expect(c.docId).toBe(doc.docId);
    expect(c.extractor).toBe(doc.extractor);
    expect(c.page).toBe(pageOf(doc, c.charStart));
    expect(c.pageEnd).toBe(pageOf(doc, c.charEnd - 1));
    expect(c.charStart).toBeGreaterThan(previousStart);
    previousStart = c.charStart;
    // Never between the two halves of a surrogate pair.
    expect(isHighSurrogate(doc.text.charCodeAt(c.charStart - 1))).toBe(false);
    expect(isHighSurrogate(doc.text.charCodeAt(c.charEnd - 1))).toBe(false);
    covered.fill(1, c.charStart, c.charEnd);
  }
  const missed = [...doc.text.matchAll(/\S/gu)].filter((m) => !covered[m.index]);
  expect(missed.map((m) => m.index).slice(0, 5)).toEqual([]);
}
