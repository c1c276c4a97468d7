import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ExtractionError } from '../../src/extract/types.ts';
import {
  checkPdfBytes,
  condenseWarnings,
  describeContent,
  finishExtraction,
  formatPageList,
  libraryFailure,
  readPdfFile,
  REASON_ENCRYPTED,
} from '../../src/extract/validate.ts';

const bytes = (s: string | number[]): Uint8Array => (typeof s === 'string' ? new Uint8Array(Buffer.from(s, 'latin1')) : new Uint8Array(s));

function reasonOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ExtractionError);
    return (err as ExtractionError).reason;
  }
  throw new Error('expected an ExtractionError');
}

describe('describeContent', () => {
  it.each([
    [[0xff, 0xd8, 0xff, 0xe0], 'a JPEG image'],
    [[0x50, 0x4b, 0x03, 0x04, 1], 'a ZIP archive (e.g. DOCX)'],
    [[0x47, 0x49, 0x46, 0x38, 0x39], 'a GIF image'],
    [[0x49, 0x49, 0x2a, 0x00], 'a TIFF image'],
    ['  <!DOCTYPE html><html>', 'an HTML page'],
    ['Just some notes\nsaved as .pdf\n', 'plain text'],
    [[0, 1, 2, 200, 3], 'unknown binary data'],
  ] as const)('recognises %j as %s', (input, expected) => {
    expect(describeContent(bytes(input as string | number[]))).toBe(expected);
  });
});

describe('checkPdfBytes', () => {
  it('accepts a header after leading junk and an end marker before trailing junk', () => {
    expect(() => checkPdfBytes('f.pdf', bytes(`junk\n%PDF-1.4\n...\n%%EOF\n${'x'.repeat(500)}`))).not.toThrow();
  });

  it('names text saved as .pdf', () => {
    expect(reasonOf(() => checkPdfBytes('f.pdf', bytes('hello')))).toBe(
      'not a PDF: no "%PDF-" header in its first 1024 bytes (looks like plain text)',
    );
  });

  it('names a file cut short, with its size', () => {
    expect(reasonOf(() => checkPdfBytes('f.pdf', bytes('%PDF-1.7\n1 0 obj')))).toBe(
      'truncated: no "%%EOF" marker in its last 1024 bytes (the file is cut short, 16 bytes)',
    );
  });
});

describe('readPdfFile', () => {
  it('names a directory', async () => {
    await expect(readPdfFile(tmpdir())).rejects.toMatchObject({ reason: 'cannot read: is a directory' });
  });

  it('reads bytes', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ragbench-extract-')), 'a.pdf');
    writeFileSync(file, 'abc');
    expect([...(await readPdfFile(file))]).toEqual([97, 98, 99]);
  });
});

describe('libraryFailure', () => {
  it('maps a password error to encrypted and anything else to corrupt', () => {
    const password = Object.assign(new Error('No password given'), { name: 'PasswordException' });
    expect(libraryFailure('f.pdf', 'pdf.js', password).reason).toBe(REASON_ENCRYPTED);
    expect(libraryFailure('f.pdf', 'pdf.js', new Error('Invalid PDF structure.')).reason).toBe(
      'corrupt or unreadable PDF (pdf.js: Invalid PDF structure.)',
    );
    expect(libraryFailure('f.pdf', 'x', 'boom').reason).toBe('corrupt or unreadable PDF (x: boom)');
    const already = new ExtractionError('f.pdf', 'kept');
    expect(libraryFailure('f.pdf', 'x', already)).toBe(already);
  });
});

describe('finishExtraction', () => {
  const base = { file: 'f.pdf', docId: 'd', extractor: 'e', warnings: ['lib: note'] };

  it('lists many empty pages as ranges in one warning', () => {
    const pages = [1, 2, 3, 4, 5, 6].map((page) => ({ page, text: page === 1 || page === 6 ? 'x' : ' ' }));
    const doc = finishExtraction({ ...base, pages });
    expect(doc.warnings).toEqual(['lib: note', 'pages 2-5 have no text layer (4 of 6 pages)']);
    expect(formatPageList([2, 5, 6, 7, 9])).toBe('2, 5-7, 9');
  });

  it('counts pages in the no-text reason', () => {
    const pages = [1, 2].map((page) => ({ page, text: '' }));
    expect(reasonOf(() => finishExtraction({ ...base, pages, imagePages: 2 }))).toBe(
      'no text layer: no text on any of its 2 pages, only images (a scan? run OCR first)',
    );
    expect(reasonOf(() => finishExtraction({ ...base, pages }))).toMatch(/any of its 2 pages, and no images/);
  });
});

describe('condenseWarnings', () => {
  it('counts repeats and caps the distinct ones, saying how many are left out', () => {
    expect(condenseWarnings(['a', 'b', 'a', 'a'])).toEqual(['a (3 times)', 'b']);
    const many = Array.from({ length: 7 }, (_, i) => `w${i}`);
    expect(condenseWarnings([...many, 'w6'], 4)).toEqual(['w0', 'w1', 'w2', '... and 4 more distinct warnings (5 in all)']);
  });
});
