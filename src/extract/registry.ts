import { MupdfExtractor } from './mupdf.ts';
import { PdfParseExtractor } from './pdf-parse.ts';
import { PdfjsExtractor } from './pdfjs.ts';
import { RouterExtractor } from './router.ts';
import type { Extractor } from './types.ts';
import { InputError } from '../util/errors.ts';

/** Extractors by the name a suite uses. The libraries themselves load on first use. */
const FACTORIES: Record<string, () => Extractor> = {
  'pdf-parse': () => new PdfParseExtractor(),
  pdfjs: () => new PdfjsExtractor(),
  mupdf: () => new MupdfExtractor(),
  router: () => new RouterExtractor(),
};

export function extractorNames(): string[] {
  return Object.keys(FACTORIES);
}

export function createExtractor(name: string): Extractor {
  const factory = Object.hasOwn(FACTORIES, name) ? FACTORIES[name] : undefined;
  if (!factory) throw new InputError(`unknown extractor "${name}"; known: ${extractorNames().join(', ')}`);
  return factory();
}
