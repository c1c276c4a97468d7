import { createExtractor } from '../extract/registry.ts';
import { ExtractionError, type ExtractedDocument, type Extractor } from '../extract/types.ts';
import type { GoldenDocument } from '../evaluate/golden.ts';

export type Extraction =
  | { ok: true; doc: ExtractedDocument; seconds: number }
  | { ok: false; file: string; reason: string; seconds: number };

/**
 * Extractions of the golden PDFs, cached per (extractor, document) for the whole suite: runs
 * that share an extractor read each PDF once, and citation checks reuse the same readings.
 * The time of the first extraction is kept so every run reports its full ingest cost.
 */
export class DocumentLibrary {
  private readonly extractors = new Map<string, Extractor>();
  private readonly cache = new Map<string, Promise<Extraction>>();
  private readonly byId: Map<string, GoldenDocument>;

  constructor(readonly documents: readonly GoldenDocument[]) {
    this.byId = new Map(documents.map((d) => [d.id, d]));
  }

  private extractor(name: string): Extractor {
    let e = this.extractors.get(name);
    if (!e) {
      e = createExtractor(name);
      this.extractors.set(name, e);
    }
    return e;
  }

  extract(docId: string, extractorName: string): Promise<Extraction> {
    const key = `${extractorName}\u0000${docId}`;
    let found = this.cache.get(key);
    if (!found) {
      found = this.extractUncached(docId, extractorName);
      this.cache.set(key, found);
    }
    return found;
  }

  /** The document as read by an extractor; throws when it could not be read. */
  async read(docId: string, extractorName: string): Promise<ExtractedDocument> {
    const r = await this.extract(docId, extractorName);
    if (!r.ok) throw new ExtractionError(r.file, r.reason);
    return r.doc;
  }

  private async extractUncached(docId: string, extractorName: string): Promise<Extraction> {
    const golden = this.byId.get(docId);
    if (!golden) throw new Error(`no document "${docId}" in the golden set`);
    const extractor = this.extractor(extractorName);
    const t0 = performance.now();
    try {
      const doc = await extractor.extract(golden.file, docId);
      return { ok: true, doc, seconds: (performance.now() - t0) / 1000 };
    } catch (err) {
      // A bad PDF is reported and skipped; anything else (a bug, a missing library) stops the run.
      if (!(err instanceof ExtractionError)) throw err;
      return { ok: false, file: golden.file, reason: err.reason, seconds: (performance.now() - t0) / 1000 };
    }
  }

  async close(): Promise<void> {
    for (const e of this.extractors.values()) await e.close?.();
    this.extractors.clear();
  }
}
