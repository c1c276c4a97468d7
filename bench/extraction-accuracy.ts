/**
 * Extraction accuracy against ground truth nobody here wrote: every extractor and the router on
 * the seven R manuals Debian ships as PDF and HTML (r-doc-pdf, r-doc-html) and on the bundled
 * golden PDFs. Method and results: docs/extraction.md.
 *
 *   npm run bench:extraction [-- --quick] [-- --out result.json]
 *
 * --quick scores R-FAQ and two golden PDFs only; --out writes the ExtractionResult (version 1).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateExtraction } from '../src/stage-eval/extraction/evaluate.ts';
import { R_MANUALS } from '../src/stage-eval/extraction/references.ts';
import type { DocumentResult, ExtractionResult, OverallScore } from '../src/stage-eval/extraction/schema.ts';
import { describeMachine, libraryVersions } from '../src/suite/machine.ts';

const quick = process.argv.includes('--quick');
const outIndex = process.argv.indexOf('--out');
const out = outIndex > 0 ? process.argv[outIndex + 1] : undefined;
const GOLDEN = join(import.meta.dirname, '..', 'golden', 'squad-dev');

/** Published figures (py-pdf/benchmarks, text extraction on their own arXiv set): a reference point, not the same documents. */
const PUBLISHED: Record<string, number> = { pypdfium2: 0.97, PyMuPDF: 0.96, pypdf: 0.96, pdftotext: 0.92, pdfplumber: 0.75 };

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

const f4 = (x: number): string => x.toFixed(4);

function documentTable(docs: readonly DocumentResult[], extractors: readonly string[]): string {
  const rows = docs.map((d) => [
    d.name,
    `${d.scoredPages}/${d.pages}`,
    d.referenceWords,
    ...extractors.map((e) => {
      const s = d.perExtractor.find((p) => p.extractor === e);
      return !s ? '' : s.error !== undefined ? 'failed' : `${f4(s.similarity)} ${f4(s.wordF1)} ${f4(s.orderRecall)}`;
    }),
    d.routerChoice ?? '',
    d.best,
  ]);
  return table(['document', 'pages', 'words', ...extractors.map((e) => `${e} (sim F1 order)`), 'router', 'best'], rows);
}

function overallTable(overall: readonly OverallScore[]): string {
  return table(
    ['extractor', 'similarity', 'word F1', 'order recall', 'pages/s', 'seconds', 'failures'],
    overall.map((o) => [o.extractor, f4(o.similarity), f4(o.wordF1), f4(o.orderRecall), Math.round(o.pagesPerSecond), o.seconds.toFixed(1), o.failures]),
  );
}

function print(result: ExtractionResult): void {
  const manuals = result.documents.filter((d) => d.source === 'r-manual');
  const golden = result.documents.filter((d) => d.source === 'golden');
  if (manuals.length > 0) {
    console.log('\nR manuals: PDF (r-doc-pdf) against the HTML edition (r-doc-html)\n' + documentTable(manuals, result.extractors));
    console.log('\nR manuals, word-weighted\n' + overallTable(result.overall['r-manual']));
  }
  if (golden.length > 0) {
    console.log('\nGolden PDFs (golden/squad-dev) against the paragraphs they were typeset from\n' + documentTable(golden, result.extractors));
    console.log('\nGolden PDFs, word-weighted\n' + overallTable(result.overall.golden));
  }
  if (result.router) console.log(`\nRouter: picked an extractor as similar as the best on ${result.router.pickedBest} of ${result.router.documents} documents`);
  const anchors = manuals.reduce((n, d) => n + d.anchorsFound, 0);
  const all = manuals.reduce((n, d) => n + d.anchors, 0);
  if (all > 0) console.log(`Section headings found in the best extraction: ${anchors} of ${all}`);
  const notes = manuals.reduce((n, d) => n + d.footnotes, 0);
  if (notes > 0) console.log(`Footnotes scored where the best extraction has them: ${manuals.reduce((n, d) => n + d.footnotesFound, 0)} of ${notes}`);
  console.log(
    '\nPublished reference points (py-pdf/benchmarks: Python libraries on their own arXiv set, not these documents): ' +
      Object.entries(PUBLISHED).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', '),
  );
}

async function main(): Promise<void> {
  const machine = describeMachine();
  const versions = await libraryVersions();
  console.log(`Machine: ${machine.cpus} × ${machine.cpuModel}, ${(machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, ${machine.os}, Node ${machine.node}`);
  console.log(`Libraries: ${['pdf-parse', 'pdfjs-dist', 'mupdf'].map((l) => `${l} ${versions[l] ?? '?'}`).join(', ')}`);
  const result = await evaluateExtraction({
    manuals: quick ? ['R-FAQ'] : R_MANUALS,
    goldenDir: GOLDEN,
    ...(quick ? { goldenDocuments: ['Normans', '1973_oil_crisis'] } : {}),
    onDocument: (d, i, n) => console.log(`[${i + 1}/${n}] ${d.name}: ${d.perExtractor.map((p) => `${p.extractor} ${p.error !== undefined ? 'failed' : f4(p.similarity)}`).join(', ')}`),
  });
  print(result);
  console.log(`\nTook ${result.seconds.toFixed(1)} s (${quick ? 'quick' : 'full'} run)`);
  if (out) {
    writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
    console.log(`Wrote ${out}`);
  }
}

await main();
