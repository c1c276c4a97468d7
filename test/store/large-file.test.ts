import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fileSize, readInto, readLines, readWhole, writePartsAndSync } from '../../src/store/large-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'ragbench-large-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('large-file I/O', () => {
  // A saved store of 1M 512-d FAISS HNSW vectors wrote a 2.32 GB index.faiss in one writeSync,
  // which Node refuses (length > 2^31 - 1): the scale bench found it. Past 2 GiB, both ways.
  it('writes and reads back a file past 2 GiB, byte for byte where it matters', () => {
    const path = join(dir, 'big.bin');
    const size = 2 ** 31 + 4099;
    const data = Buffer.allocUnsafe(size);
    const marks = [0, 1, 2 ** 30 - 1, 2 ** 30, 2 ** 31 - 1, 2 ** 31, size - 1];
    data.fill(7);
    marks.forEach((at, i) => (data[at] = 100 + i));
    writePartsAndSync(path, [data]);
    expect(fileSize(path)).toBe(size);
    const back = readWhole(path);
    expect(back.length).toBe(size);
    expect(marks.map((at) => back[at])).toEqual(marks.map((_, i) => 100 + i));
    expect(back[12345]).toBe(7);
    rmSync(path);
  }, 120_000);

  it('writes parts in order, strings as UTF-8', () => {
    const path = join(dir, 'parts.txt');
    writePartsAndSync(path, ['ab', Buffer.from('cd'), 'é\n']);
    expect(readWhole(path).toString('utf8')).toBe('abcdé\n');
  });

  it('reads lines across chunk boundaries, multi-byte characters split between chunks included', () => {
    const path = join(dir, 'lines.jsonl');
    const lines = ['{"id":"a"}', '{"id":"日本語テキスト"}', '', '{"id":"emoji 😀"}', 'last without newline'];
    writeFileSync(path, lines.join('\n'));
    for (const chunk of [1, 2, 3, 5, 7, 1024]) expect([...readLines(path, chunk)]).toEqual(lines);
  });

  it('refuses a file shorter than the bytes asked for, naming it', () => {
    const path = join(dir, 'short.bin');
    writeFileSync(path, Buffer.alloc(10));
    expect(() => readInto(path, new Uint8Array(11))).toThrow(/short\.bin: ends after 10 bytes, 11 expected/);
  });
});
