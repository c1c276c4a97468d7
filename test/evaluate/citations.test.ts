import { beforeAll, describe, expect, it } from 'vitest';
import { CitationVerifier, verifierFor } from '../../src/evaluate/citations.ts';
import { RelevanceJudge } from '../../src/evaluate/relevance.ts';
import { loadGoldenSet, type GoldenSet } from '../../src/evaluate/golden.ts';
import type { ExtractedDocument } from '../../src/extract/types.ts';
import { DocumentLibrary } from '../../src/suite/documents.ts';
import type { Citation } from '../../src/retrieve/types.ts';
import type { Chunk } from '../../src/chunk/types.ts';

const DOC = 'Greyhaven_Lighthouse';

describe('citation verification against an independent extractor (real PDFs)', () => {
  let golden: GoldenSet;
  let library: DocumentLibrary;
  let own: ExtractedDocument;
  let verifier: CitationVerifier;

  const citationOf = (start: number, end: number, page: number, pageEnd: number): Citation => ({
    doc: DOC,
    page,
    pageEnd,
    charStart: start,
    charEnd: end,
    quote: own.text.slice(start, end),
  });

  beforeAll(async () => {
    golden = await loadGoldenSet('test/fixtures/golden-mini');
    library = new DocumentLibrary(golden.documents);
    own = await library.read(DOC, 'pdfjs');
    verifier = new CitationVerifier((id, extractor) => library.read(id, extractor));
  });

  it('checks with a different extractor than the one that made the chunk', () => {
    expect(verifierFor('mupdf')).toBe('pdfjs');
    expect(verifierFor('pdfjs')).toBe('mupdf');
    expect(verifierFor('pdf-parse')).toBe('mupdf');
  });

  it('verifies a true citation on page 1 and one spanning pages 1-2', async () => {
    const p2 = own.pageStarts[1] as number;
    expect(await verifier.verify(citationOf(0, 200, 1, 1), own)).toEqual({ verified: true });
    expect(await verifier.verify(citationOf(p2 - 120, p2 + 80, 1, 2), own)).toEqual({ verified: true });
  });

  it('fails a wrong page, a two-page chunk citing one page, and a fabricated offset', async () => {
    const p2 = own.pageStarts[1] as number;
    expect(await verifier.verify(citationOf(0, 200, 2, 2), own)).toMatchObject({ verified: false, reason: 'text lies on pages 1-1, cited 2-2' });
    expect(await verifier.verify(citationOf(p2 - 120, p2 + 80, 1, 1), own)).toMatchObject({ verified: false, reason: 'text lies on pages 1-2, cited 1-1' });
    const fabricated = { ...citationOf(0, 200, 1, 1), charStart: 10, charEnd: 210 };
    expect(await verifier.verify(fabricated, own)).toMatchObject({ verified: false, reason: 'quote is not the text at the cited offsets' });
    const outside = { ...citationOf(0, 200, 1, 1), charEnd: own.text.length + 5 };
    expect((await verifier.verify(outside, own)).verified).toBe(false);
    expect(await verifier.verify({ ...citationOf(0, 200, 1, 1), doc: 'Harbour_Tides' }, own)).toMatchObject({ verified: false });
  });

  it('fails a quote the independent reading does not have on the cited pages', async () => {
    // A document whose own text was altered (as a faulty extractor might) at the cited span.
    const tampered: ExtractedDocument = { ...own, text: own.text.replace(own.text.slice(0, 40), 'X'.repeat(40)) };
    const c: Citation = { doc: DOC, page: 1, pageEnd: 1, charStart: 0, charEnd: 120, quote: tampered.text.slice(0, 120) };
    expect(await verifier.verify(c, tampered)).toMatchObject({ verified: false, reason: 'quote not found on pages 1-1 as read by mupdf' });
  });

  it('reports an independent reader that cannot read the document', async () => {
    const broken = new CitationVerifier(async () => {
      throw new Error('boom');
    });
    expect(await broken.verify(citationOf(0, 200, 1, 1), own)).toEqual({ verified: false, reason: 'mupdf could not read Greyhaven_Lighthouse: boom' });
  });

  it('judges chunks against located evidence: support by answer occurrence, v1 overlap, token-overlap fallback', async () => {
    const judge = new RelevanceJudge(new Map([[DOC, own]]));
    const q = golden.questions.find((x) => x.id === 'mini-04')!;
    const located = judge.locate(q.evidence[0]!);
    expect(located.span).not.toBeNull();
    const chunk = (start: number, end: number): Chunk => ({
      id: `${DOC}:${start}-${end}`, docId: DOC, text: own.text.slice(start, end), charStart: start, charEnd: end, page: 1, pageEnd: 1, extractor: 'pdfjs',
    });
    const { start, end } = located.span!;
    const [occurrence] = judge.passages(q)[0]!.occurrences;
    expect(own.text.slice(occurrence!.start, occurrence!.end)).toBe('Margit Olsen');
    expect(judge.supports(chunk(start, end), q)).toEqual([0]);
    expect(judge.overlaps(chunk(start, end), q)).toEqual([0]);
    // Exactly the answer is enough; one character short of it is not.
    expect(judge.supports(chunk(occurrence!.start, occurrence!.end), q)).toEqual([0]);
    expect(judge.supports(chunk(occurrence!.start, occurrence!.end - 1), q)).toEqual([]);
    // Touching the passage by a few characters is neither support nor overlap.
    expect(judge.supports(chunk(Math.max(0, start - 300), start + 5), q)).toEqual([]);
    expect(judge.overlaps(chunk(Math.max(0, start - 300), start + 5), q)).toEqual([]);
    expect(judge.supports({ ...chunk(start, end), docId: 'Harbour_Tides' }, q)).toEqual([]);
    // A passage not in the extraction verbatim is judged by content-token overlap plus the answer.
    // (sentences in reverse order: the answer is still in it)
    const paraphrase = { ...q, evidence: [{ ...q.evidence[0]!, text: q.evidence[0]!.text.split('. ').reverse().join('. ') }] };
    expect(judge.locate(paraphrase.evidence[0]!).span).toBeNull();
    expect(judge.supports(chunk(start, end), paraphrase)).toEqual([0]);
    expect(judge.overlaps(chunk(start, end), paraphrase)).toEqual([0]);
    expect(judge.supports(chunk(start, occurrence!.start), paraphrase)).toEqual([]);
    expect(judge.locatedExact).toBe(1);
    expect(judge.locatedFuzzy).toBe(1);
  });
});
