/**
 * The result of an extraction-accuracy evaluation (./evaluate.ts), as it goes into
 * summary.json and the report. Version 1; later changes only add fields.
 *
 * Scores are in [0, 1] on normalised text (docs/extraction.md): `similarity` is block-wise
 * 1 − Levenshtein / max length (a lower bound of the whole-text figure), `wordF1` the word
 * multiset F1, `orderRecall` the share of the reference's word 4-grams found in the extraction.
 */
import { z } from 'zod';

export const EXTRACTION_RESULT_VERSION = 1;

const score = z.number().min(0).max(1);

export const ExtractorScoreSchema = z.object({
  extractor: z.string(),
  similarity: score,
  wordF1: score,
  wordPrecision: score,
  wordRecall: score,
  orderRecall: score,
  /** All pages of the PDF over the wall time of one extract() call (libraries already loaded). */
  pagesPerSecond: z.number().min(0),
  seconds: z.number().min(0),
  /** Set when the extractor failed on this document; its scores are then 0 and counted as such. */
  error: z.string().optional(),
});

export const DocumentResultSchema = z.object({
  name: z.string(),
  source: z.enum(['r-manual', 'golden']),
  file: z.string(),
  /** Pages of the PDF (all are extracted and timed)... */
  pages: z.number().int().min(0),
  /** ...and the pages scored (without title, contents and index pages). */
  scoredPages: z.number().int().min(0),
  /** Words of the reference text: the weight of this document in the overall figures. */
  referenceWords: z.number().int().min(0),
  /** Sections found in the extraction by their anchor, of those that have one (the best extractor's count). */
  anchorsFound: z.number().int().min(0),
  anchors: z.number().int().min(0),
  /** Footnotes scored where the best extraction has them, of all the reference's footnotes. */
  footnotesFound: z.number().int().min(0),
  footnotes: z.number().int().min(0),
  perExtractor: z.array(ExtractorScoreSchema),
  /** The extractor the router picked for this document, or null when no router was scored. */
  routerChoice: z.string().nullable(),
  /** The extractor (router excluded) with the highest similarity; of equals, the fastest. */
  best: z.string(),
});

export const OverallScoreSchema = z.object({
  extractor: z.string(),
  /** Word-weighted means over the documents of each source and of all together. */
  similarity: score,
  wordF1: score,
  orderRecall: score,
  /** Total pages over total seconds. */
  pagesPerSecond: z.number().min(0),
  seconds: z.number().min(0),
  documents: z.number().int().min(0),
  failures: z.number().int().min(0),
});

export const ExtractionResultSchema = z.object({
  version: z.literal(EXTRACTION_RESULT_VERSION),
  extractors: z.array(z.string()),
  documents: z.array(DocumentResultSchema),
  overall: z.object({
    all: z.array(OverallScoreSchema),
    'r-manual': z.array(OverallScoreSchema),
    golden: z.array(OverallScoreSchema),
  }),
  /** How often the router picked an extractor as similar as the best one. */
  router: z
    .object({
      documents: z.number().int().min(0),
      pickedBest: z.number().int().min(0),
    })
    .nullable(),
  seconds: z.number().min(0),
});

export type ExtractorScore = z.infer<typeof ExtractorScoreSchema>;
export type DocumentResult = z.infer<typeof DocumentResultSchema>;
export type OverallScore = z.infer<typeof OverallScoreSchema>;
export type ExtractionResult = z.infer<typeof ExtractionResultSchema>;
