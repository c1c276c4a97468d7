import type { ExtractedDocument, Extractor } from './types.ts';
export class RouterExtractor implements Extractor {
  readonly id = 'router';
  extract(file: string, docId: string): Promise<ExtractedDocument> { throw new Error(file + docId); }
}
