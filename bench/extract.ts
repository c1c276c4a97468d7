/**
 * Extraction benchmark: speed (pages/s) and faithfulness of each extractor, and what the router
 * picks, on the R manuals (apt: r-doc-pdf, with r-doc-html as the text ground truth) and on the
 * layout and damage cases the router's rule is about. `npm run bench:extract [-- --quick]`
 * (--quick skips refman, 2,415 pages).
 *
 * Faithfulness is sentence recall: the share of the HTML manual's sentences (8+ words) found
 * verbatim in the extracted text, both normalised as the golden format defines (NFKC, case,
 * quotes, whitespace, line-end hyphens). Sentences holding a footnote mark are left out: the PDF
 * prints the mark inside the sentence and the note at the page foot, the HTML elsewhere. The HTML
 * navigation lines ("Next: ... [Contents][Index]") are not in the PDF and are dropped too.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExtractor } from '../src/extract/registry.ts';
import { routePdf } from '../src/extract/router.ts';
import type { ExtractedDocument, Extractor } from '../src/extract/types.ts';
import { normalizeText } from '../src/text/normalize.ts';
import { LEFT_COLUMN, RIGHT_COLUMN } from '../scripts/make-bad-pdfs.ts';

const MANUALS = '/usr/share/R/doc/manual';
const FIXTURES = join(import.meta.dirname, '..', 'test', 'fixtures', 'bad-pdfs');
const EXTRACTORS = ['mupdf', 'pdfjs', 'pdf-parse'] as const;
const quick = process.argv.includes('--quick');

function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

function sentencesOf(paragraphs: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of paragraphs) {
    for (const s of p.split(/(?<=[.!?])\s+/)) if (s.split(/\s+/).length >= 8 && !s.includes('\u0000')) out.push(normalizeText(s));
  }
  return out;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', quot: '"', amp: '&', nbsp: ' ', rsquo: "'", lsquo: "'", ldquo: '"', rdquo: '"' };

/** Ground-truth sentences of a Texinfo HTML manual; footnote marks become \0 so their sentences drop out. */
function htmlSentences(file: string): string[] {
  const body = readFileSync(file, 'utf8')
    .replace(/<head>[\s\S]*?<\/head>/i, '')
    .replace(/<div class="(?:header|nav-panel)">[\s\S]*?<\/div>/gi, '')
    .replace(/<p>\s*Next:[\s\S]*?<\/p>/gi, '')
    .replace(/<sup>[\s\S]*?<\/sup>/gi, '\u0000');
  const paragraphs = body
    .split(/<\/?(?:p|pre|h\d|li|dt|dd|div|table|tr|td|blockquote)\b[^>]*>/i)
    .map((p) => p.replace(/<[^>]+>/g, '').replace(/&(\w+);/g, (_, e: string) => ENTITIES[e] ?? ' ').trim())
    .filter((p) => p.length > 0);
  return sentencesOf(paragraphs);
}

function recall(doc: ExtractedDocument, sentences: readonly string[]): number {
  const hay = normalizeText(doc.text);
  return sentences.filter((s) => hay.includes(s)).length / sentences.length;
}

async function timed(extractor: Extractor, file: string): Promise<{ doc: ExtractedDocument; ms: number }> {
  const t0 = performance.now();
  const doc = await extractor.extract(file, file);
  return { doc, ms: performance.now() - t0 };
}

async function main(): Promise<void> {
  const extractors = Object.fromEntries(EXTRACTORS.map((n) => [n, createExtractor(n)])) as Record<string, Extractor>;

  // 1. First call: includes loading the library (pdf-parse and pdfjs share pdf.js: whichever runs first loads it).
  const first: (string | number)[][] = [];
  for (const name of EXTRACTORS) first.push([name, Math.round((await timed(extractors[name]!, join(FIXTURES, 'good.pdf'))).ms)]);
  console.log('\nFirst call on a 3-page file (ms, includes library load)\n' + table(['extractor', 'ms'], first));

  // 2. Speed on real manuals, libraries loaded and JIT-warmed by one untimed pass over R-intro.
  const speedFiles = ['R-intro.pdf', ...(quick ? [] : ['refman.pdf'])].map((f) => join(MANUALS, f)).filter(existsSync);
  for (const name of EXTRACTORS) if (speedFiles[0]) await extractors[name]!.extract(speedFiles[0], 'warm-up');
  const speed: (string | number)[][] = [];
  for (const file of speedFiles) {
    for (const name of EXTRACTORS) {
      const { doc, ms } = await timed(extractors[name]!, file);
      speed.push([`${name} ${file.split('/').pop()}`, doc.pages.length, Math.round(ms), Math.round((doc.pages.length / ms) * 1000)]);
    }
    const t0 = performance.now();
    const route = await routePdf(file);
    speed.push([`router measuring ${file.split('/').pop()} -> ${route.extractor}`, route.profile?.sampled.length ?? 0, Math.round(performance.now() - t0), '']);
  }
  console.log('\nSpeed (warm)\n' + table(['extractor file', 'pages', 'ms', 'pages/s'], speed));

  // 3. Faithfulness against the HTML manuals.
  const manuals = ['R-intro', 'R-exts', 'R-admin', 'R-lang', 'R-data', 'R-ints', 'R-FAQ'].filter(
    (m) => existsSync(join(MANUALS, `${m}.pdf`)) && existsSync(join(MANUALS, `${m}.html`)),
  );
  const faith: (string | number)[][] = [];
  for (const m of manuals) {
    const sentences = htmlSentences(join(MANUALS, `${m}.html`));
    const row: (string | number)[] = [m, sentences.length];
    for (const name of EXTRACTORS) row.push(recall((await timed(extractors[name]!, join(MANUALS, `${m}.pdf`))).doc, sentences).toFixed(4));
    row.push((await routePdf(join(MANUALS, `${m}.pdf`))).extractor);
    faith.push(row);
  }
  if (manuals.length === 0) console.log('\n(no r-doc-html: apt-get install r-doc-html for the faithfulness table)');
  else console.log('\nSentence recall against the HTML manuals\n' + table(['manual', 'sentences', ...EXTRACTORS, 'router'], faith));

  // 4. Layout: columns drawn line by line across the page; ground truth is the left story, then the right.
  const layout: (string | number)[][] = [];
  const columns = sentencesOf([LEFT_COLUMN.repeat(4), RIGHT_COLUMN.repeat(4)]);
  const truthOrder = normalizeText(`${LEFT_COLUMN.repeat(4)} ${RIGHT_COLUMN.repeat(4)}`);
  for (const fixture of ['interleaved-columns.pdf', 'two-column.pdf']) {
    const file = join(FIXTURES, fixture);
    const row: (string | number)[] = [fixture];
    for (const name of EXTRACTORS) {
      const doc = (await timed(extractors[name]!, file)).doc;
      row.push(fixture === 'two-column.pdf' ? (/Paragraph 11[\s\S]*Paragraph 12/.test(doc.text) ? 'in order' : 'mixed') : recall(doc, columns).toFixed(2));
      if (fixture !== 'two-column.pdf' && normalizeText(doc.text) === truthOrder) row[row.length - 1] += ' (exact)';
    }
    row.push((await routePdf(file)).extractor);
    layout.push(row);
  }
  console.log('\nTwo-column layouts (sentence recall, or column order)\n' + table(['fixture', ...EXTRACTORS, 'router'], layout));

  // 5. Damage: R-intro with 20 KB blanked in the middle (the end marker intact).
  const intro = join(MANUALS, 'R-intro.pdf');
  if (existsSync(intro) && manuals.includes('R-intro')) {
    const bytes = readFileSync(intro);
    const from = Math.floor(bytes.length * 0.4);
    bytes.fill(0x20, from, from + 20_000);
    const damaged = join(mkdtempSync(join(tmpdir(), 'ragbench-bench-')), 'R-intro-damaged.pdf');
    writeFileSync(damaged, bytes);
    const sentences = htmlSentences(join(MANUALS, 'R-intro.html'));
    const rows: (string | number)[][] = [];
    for (const name of EXTRACTORS) {
      try {
        const { doc } = await timed(extractors[name]!, damaged);
        rows.push([name, doc.pages.filter((p) => p.text !== '').length, doc.pages.length, recall(doc, sentences).toFixed(4), doc.warnings.length]);
      } catch (err) {
        rows.push([name, 'failed', '', (err as Error).message.split(': ').slice(1).join(': ').slice(0, 60), '']);
      }
    }
    console.log(
      `\nDamaged R-intro (20 KB blanked at 40%; router -> ${(await routePdf(damaged)).extractor})\n` +
        table(['extractor', 'pages with text', 'pages', 'recall', 'warnings'], rows),
    );
  }
}

await main();
