/**
 * Extracts one PDF with one extractor in a process of its own and prints one JSON line: what
 * came out (pages, the first and last page's text, warnings, or the error) and what it cost
 * (wall time, pages/s, the process's peak RSS). The long-file test runs it once per extractor,
 * so each figure is that extractor's alone. Usage: node --import tsx measure-extract.ts <extractor> <file>
 */
import { createExtractor } from '../../src/extract/registry.ts';
import { ExtractionError } from '../../src/extract/types.ts';

export interface Measurement {
  /** The extractor asked for. */
  requested: string;
  /** The one that read the file (the router names its choice). */
  extractor: string;
  ok: boolean;
  pages?: number;
  firstPage?: string;
  lastPage?: string;
  warnings?: string[];
  reason?: string;
  seconds: number;
  pagesPerSecond?: number;
  /** Peak resident set size of the whole process (Node, the libraries, WASM memory), in MB. */
  peakRssMb: number;
}

async function measure(name: string, file: string): Promise<Measurement> {
  const extractor = createExtractor(name);
  const start = process.hrtime.bigint();
  const seconds = (): number => Number(process.hrtime.bigint() - start) / 1e9;
  const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 1024);
  try {
    const doc = await extractor.extract(file, 'long');
    const s = seconds();
    return {
      requested: name,
      extractor: doc.extractor,
      ok: true,
      pages: doc.pages.length,
      firstPage: doc.pages[0]?.text ?? '',
      lastPage: doc.pages.at(-1)?.text ?? '',
      warnings: doc.warnings,
      seconds: s,
      pagesPerSecond: doc.pages.length / s,
      peakRssMb: peakRssMb(),
    };
  } catch (err) {
    if (!(err instanceof ExtractionError)) throw err;
    return { requested: name, extractor: name, ok: false, reason: err.reason, seconds: seconds(), peakRssMb: peakRssMb() };
  } finally {
    await extractor.close?.();
  }
}

const [name, file] = process.argv.slice(2);
if (!name || !file) throw new Error('usage: measure-extract.ts <extractor> <file>');
process.stdout.write(`${JSON.stringify(await measure(name, file))}\n`);
