/**
 * What the pdf.js-based extractors (pdfjs, pdf-parse) share: one lazily loaded copy of the
 * pdfjs-dist legacy build (pdf-parse 2.4.5 imports the same module, so both run on one
 * pdf.js version and never hit "API version does not match Worker version"), the options
 * that let it find its font and CMap data on disk, and a way to keep its warnings.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type PdfjsModule = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
export type PdfjsDocument = Awaited<ReturnType<PdfjsModule['getDocument']>['promise']>;

let pdfjsModule: Promise<PdfjsModule> | undefined;

/** The pdf.js legacy build (the one meant for Node), imported on first use. */
export function loadPdfjs(): Promise<PdfjsModule> {
  pdfjsModule ??= import('pdfjs-dist/legacy/build/pdf.mjs');
  return pdfjsModule;
}

const PDFJS_DIR = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

/** pdf.js reads these folders from disk in Node; without standard fonts it warns and loses text. */
export const PDFJS_DATA_OPTIONS = {
  standardFontDataUrl: join(PDFJS_DIR, 'standard_fonts') + '/',
  cMapUrl: join(PDFJS_DIR, 'cmaps') + '/',
  cMapPacked: true,
  wasmUrl: join(PDFJS_DIR, 'wasm') + '/',
  // 1 = VerbosityLevel.WARNINGS: we want the warnings, which captureWarnings keeps.
  verbosity: 1,
  isEvalSupported: false,
} as const;

let queue: Promise<unknown> = Promise.resolve();

/**
 * Runs `task` while keeping pdf.js's warnings. pdf.js has no warning callback: it prints
 * "Warning: ..." through console.warn/console.log (its Node "worker" runs in this thread).
 * We hold those calls for the duration of the task and return them as data; other console
 * output passes through. Tasks are serialised so that warnings land on the right document.
 */
export function captureWarnings<T>(task: () => Promise<T>): Promise<{ value: T; warnings: string[] }> {
  const run = async (): Promise<{ value: T; warnings: string[] }> => {
    const warnings: string[] = [];
    const original = { warn: console.warn, log: console.log };
    const hold =
      (pass: (...args: unknown[]) => void) =>
      (...args: unknown[]): void => {
        const line = args.map(String).join(' ');
        if (line.startsWith('Warning: ')) warnings.push(`pdf.js: ${line.slice('Warning: '.length)}`);
        else pass(...args);
      };
    console.warn = hold(original.warn);
    console.log = hold(original.log);
    try {
      return { value: await task(), warnings };
    } finally {
      console.warn = original.warn;
      console.log = original.log;
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}

/** Pages (of the first `limit`) whose operator list paints an image: tells scans from blanks. */
export async function countImagePages(pdfjs: PdfjsModule, doc: PdfjsDocument, limit = 20): Promise<number> {
  const imageOps = new Set<number>([
    pdfjs.OPS.paintImageXObject,
    pdfjs.OPS.paintInlineImageXObject,
    pdfjs.OPS.paintImageMaskXObject,
    pdfjs.OPS.paintImageXObjectRepeat,
    pdfjs.OPS.paintInlineImageXObjectGroup,
  ]);
  let count = 0;
  for (let i = 1; i <= Math.min(doc.numPages, limit); i++) {
    const page = await doc.getPage(i);
    const ops = await page.getOperatorList();
    if (ops.fnArray.some((op) => imageOps.has(op))) count++;
    page.cleanup();
  }
  return count;
}
