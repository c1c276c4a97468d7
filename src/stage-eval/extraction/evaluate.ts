/**
 * Extraction accuracy against text nobody here wrote: every extractor (and the router) reads the
 * same PDFs — the R manuals, scored against their HTML edition, and the bundled golden PDFs,
 * scored against the paragraphs they were typeset from — and is scored on similarity, word F1
 * and reading order (./measures.ts), and timed. Method: docs/extraction.md.
 */
import { createExtractor, extractorNames } from '../../extract/registry.ts';
import { ExtractionError, type ExtractedDocument, type Extractor } from '../../extract/types.ts';
import { InputError } from '../../util/errors.ts';
import { alignExtraction, type Alignment } from './align.ts';
import { blockEditSimilarity, orderRecall, wordScores, words } from './measures.ts';
import { DEBIAN_MANUAL_DIR, goldenReferences, R_MANUALS, referenceText, rManualReference, type ReferenceDocument } from './references.ts';
import {
  EXTRACTION_RESULT_VERSION,
  type DocumentResult,
  type ExtractionResult,
  type ExtractorScore,
  type OverallScore,
} from './schema.ts';

export interface ExtractionEvalOptions {
  /** Folder with the R manuals' PDF and HTML editions; Debian puts both in /usr/share/R/doc/manual. */
  manualsDir?: string;
  /** Manuals to score (default: all seven that exist in both editions); [] for none. */
  manuals?: readonly string[];
  /** A golden set folder (e.g. golden/squad-dev) whose PDFs are scored too; none when absent. */
  goldenDir?: string;
  /** Only these golden documents (ids); default all. */
  goldenDocuments?: readonly string[];
  /** Registry names (default: every registered extractor, the router included). */
  extractors?: readonly string[];
  /** Called after each document is scored, for progress output. */
  onDocument?: (result: DocumentResult, index: number, total: number) => void;
}

async function loadReferences(options: ExtractionEvalOptions): Promise<ReferenceDocument[]> {
  const refs: ReferenceDocument[] = [];
  const dir = options.manualsDir ?? DEBIAN_MANUAL_DIR;
  for (const name of options.manuals ?? R_MANUALS) refs.push(await rManualReference(dir, name));
  if (options.goldenDir !== undefined) {
    const golden = await goldenReferences(options.goldenDir);
    const wanted = options.goldenDocuments;
    for (const id of wanted ?? []) {
      if (!golden.some((g) => g.name === id)) throw new InputError(`${options.goldenDir}: no golden document "${id}" in its manifest`);
    }
    refs.push(...golden.filter((g) => !wanted || wanted.includes(g.name)));
  }
  if (refs.length === 0) throw new InputError('extraction evaluation: no documents to score (no manuals and no golden set given)');
  return refs;
}

function failed(extractor: string, seconds: number, error: string): ExtractorScore {
  return { extractor, similarity: 0, wordF1: 0, wordPrecision: 0, wordRecall: 0, orderRecall: 0, pagesPerSecond: 0, seconds, error };
}

interface Scored {
  score: ExtractorScore;
  alignment?: Pick<Alignment, 'anchorsFound' | 'anchors' | 'footnotesFound' | 'footnotes'>;
  route?: string;
}

async function scoreOne(ref: ReferenceDocument, name: string, extractor: Extractor, referenceWords: readonly string[]): Promise<Scored> {
  const t0 = performance.now();
  let doc: ExtractedDocument;
  try {
    doc = await extractor.extract(ref.pdf, ref.name);
  } catch (err) {
    // A PDF an extractor cannot read is a result about that extractor; anything else is a bug here.
    if (!(err instanceof ExtractionError)) throw err;
    return { score: failed(name, (performance.now() - t0) / 1000, err.reason) };
  }
  const seconds = (performance.now() - t0) / 1000;
  const aligned = alignExtraction(ref, doc.pages);
  const extractedWords = words(aligned.extractedText);
  const w = wordScores(referenceWords, extractedWords);
  const score: ExtractorScore = {
    extractor: name,
    similarity: Math.max(0, blockEditSimilarity(aligned.blocks)),
    wordF1: w.f1,
    wordPrecision: w.precision,
    wordRecall: w.recall,
    orderRecall: orderRecall(referenceWords, extractedWords),
    pagesPerSecond: seconds > 0 ? doc.pages.length / seconds : 0,
    seconds,
  };
  return { score, alignment: aligned, ...(doc.route ? { route: doc.route.extractor } : {}) };
}

function overallOf(extractors: readonly string[], docs: readonly DocumentResult[]): OverallScore[] {
  return extractors.map((extractor) => {
    let weight = 0;
    let similarity = 0;
    let wordF1 = 0;
    let order = 0;
    let pages = 0;
    let seconds = 0;
    let failures = 0;
    for (const d of docs) {
      const s = d.perExtractor.find((p) => p.extractor === extractor);
      if (!s) continue;
      weight += d.referenceWords;
      similarity += s.similarity * d.referenceWords;
      wordF1 += s.wordF1 * d.referenceWords;
      order += s.orderRecall * d.referenceWords;
      pages += d.pages;
      seconds += s.seconds;
      if (s.error !== undefined) failures++;
    }
    const mean = (x: number): number => (weight > 0 ? x / weight : 0);
    return {
      extractor,
      similarity: mean(similarity),
      wordF1: mean(wordF1),
      orderRecall: mean(order),
      pagesPerSecond: seconds > 0 ? pages / seconds : 0,
      seconds,
      documents: docs.length,
      failures,
    };
  });
}

/** The router picked an extractor as similar as the best one (a tie counts: the best is then the fastest of equals). */
function pickedBest(d: DocumentResult): boolean {
  const score = (name: string | null): number | undefined => d.perExtractor.find((p) => p.extractor === name && p.error === undefined)?.similarity;
  const picked = score(d.routerChoice);
  const best = score(d.best);
  return picked !== undefined && best !== undefined && picked >= best;
}

/** Scores every extractor on every reference document. Throws InputError for a missing or bad document. */
export async function evaluateExtraction(options: ExtractionEvalOptions = {}): Promise<ExtractionResult> {
  const started = performance.now();
  const names = [...(options.extractors ?? extractorNames())];
  const extractors = new Map(names.map((n) => [n, createExtractor(n)] as const));
  const refs = await loadReferences(options);
  try {
    // Load the libraries and warm the JIT on the smallest document, so that timings compare reading.
    const smallest = refs.reduce((a, b) => (b.pageCount < a.pageCount ? b : a));
    for (const ex of extractors.values()) await ex.extract(smallest.pdf, smallest.name).catch(() => undefined);

    const documents: DocumentResult[] = [];
    for (const [index, ref] of refs.entries()) {
      const referenceWords = words(referenceText(ref));
      const scored: Scored[] = [];
      for (const [name, ex] of extractors) scored.push(await scoreOne(ref, name, ex, referenceWords));
      const candidates = scored.filter((s) => s.score.extractor !== 'router' && s.score.error === undefined);
      // The most similar; of equals, the fastest.
      const better = (a: Scored, b: Scored): boolean =>
        b.score.similarity > a.score.similarity || (b.score.similarity === a.score.similarity && b.score.pagesPerSecond > a.score.pagesPerSecond);
      const best = candidates.reduce<Scored | undefined>((a, b) => (!a || better(a, b) ? b : a), undefined);
      const router = scored.find((s) => s.score.extractor === 'router');
      const result: DocumentResult = {
        name: ref.name,
        source: ref.source,
        file: ref.pdf,
        pages: ref.pageCount,
        scoredPages: ref.parts.reduce((n, p) => n + p.lastPage - p.firstPage + 1, 0),
        referenceWords: referenceWords.length,
        anchorsFound: best?.alignment?.anchorsFound ?? 0,
        anchors: best?.alignment?.anchors ?? 0,
        footnotesFound: best?.alignment?.footnotesFound ?? 0,
        footnotes: best?.alignment?.footnotes ?? 0,
        perExtractor: scored.map((s) => s.score),
        routerChoice: router ? (router.route ?? null) : null,
        best: best?.score.extractor ?? 'none',
      };
      documents.push(result);
      options.onDocument?.(result, index, refs.length);
    }
    const routed = documents.filter((d) => d.routerChoice !== null);
    return {
      version: EXTRACTION_RESULT_VERSION,
      extractors: names,
      documents,
      overall: {
        all: overallOf(names, documents),
        'r-manual': overallOf(names, documents.filter((d) => d.source === 'r-manual')),
        golden: overallOf(names, documents.filter((d) => d.source === 'golden')),
      },
      router: extractors.has('router') ? { documents: routed.length, pickedBest: routed.filter(pickedBest).length } : null,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    for (const ex of extractors.values()) await ex.close?.();
  }
}
