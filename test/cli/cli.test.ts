import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run-cli.ts';

describe('ragbench CLI', () => {
  it('--help lists the subcommands', async () => {
    const r = await cli('--help');
    expect(r.code).toBe(0);
    for (const c of ['run', 'ingest', 'query', 'gate', 'report', 'tune']) expect(r.stdout).toContain(c);
  });

  it('an invalid suite exits 2 naming the file and field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-'));
    const suite = join(dir, 'bad.yml');
    await writeFile(suite, 'name: bad\nk: -1\n');
    const r = await cli('run', suite);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${suite}: k: `);
  });

  it('an invalid golden set exits 2 naming the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cli-'));
    const suite = join(dir, 'ok.yml');
    await writeFile(suite, 'name: ok\n');
    const r = await cli('run', suite, '--golden', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(join(dir, 'manifest.json'));
  });

  it('an unknown option is a usage error (exit 2)', async () => {
    expect((await cli('run', '--no-such-flag')).code).toBe(2);
  });

  it('query prints cited hits as JSON, and skips a bad PDF with its reason', async () => {
    const r = await cli('query', 'Who keeps the lighthouse?', '--docs', 'test/fixtures/golden-mini/docs', 'test/fixtures/bad-pdfs/truncated.pdf', '--retriever', 'bm25', '-k', '2', '--json');
    expect(r.code).toBe(0);
    const hits = JSON.parse(r.stdout);
    expect(hits).toHaveLength(2);
    expect(hits[0].citation).toMatchObject({ doc: expect.any(String), page: expect.any(Number), quote: expect.any(String) });
    expect(r.stderr).toMatch(/SKIPPED .*truncated\.pdf: truncated/);
  });

  it('ingest reports each document; exits 2 when nothing could be read', async () => {
    const ok = await cli('ingest', 'test/fixtures/golden-mini/docs', '--retriever', 'bm25', '--extractor', 'mupdf');
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^ok {6}Greyhaven_Lighthouse: 2 pages, \d+ chunks, mupdf/m);
    const bad = await cli('ingest', 'test/fixtures/bad-pdfs/empty.pdf', '--retriever', 'bm25');
    expect(bad.code).toBe(2);
    expect(bad.stdout).toContain('empty file (0 bytes)');
  });

  it('a bad stage option exits 2 naming the option', async () => {
    const r = await cli('query', 'x', '--chunker', '{name: sentence, n: zero}', '--retriever', 'bm25');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/chunker "sentence".*n/);
  });
});
