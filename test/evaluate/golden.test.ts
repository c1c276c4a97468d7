import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadGoldenSet } from '../../src/evaluate/golden.ts';
import { InputError } from '../../src/util/errors.ts';

const MINI = resolve('test/fixtures/golden-mini');

let tmp: string;
let counter = 0;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'ragbench-golden-'));
});
afterAll(async () => rm(tmp, { recursive: true, force: true }));

type Json = Record<string, unknown>;

/** A copy of the mini set, changed by `edit`; returns its folder. */
async function brokenSet(edit: { manifest?: (m: Json) => void; questions?: (qs: Json[]) => Json[] | void; raw?: string }): Promise<string> {
  const dir = join(tmp, `set-${++counter}`);
  await cp(MINI, dir, { recursive: true });
  const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as Json;
  edit.manifest?.(manifest);
  await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  const lines = (await readFile(join(dir, 'questions.jsonl'), 'utf8')).trim().split('\n');
  let questions = lines.map((l) => JSON.parse(l) as Json);
  questions = edit.questions?.(questions) ?? questions;
  await writeFile(join(dir, 'questions.jsonl'), edit.raw ?? `${questions.map((q) => JSON.stringify(q)).join('\n')}\n`);
  return dir;
}

async function loadError(dir: string): Promise<string> {
  const err = await loadGoldenSet(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(InputError);
  return (err as InputError).message;
}

const evidence0 = (qs: Json[], line: number): Json => ((qs[line - 1] as Json).evidence as Json[])[0] as Json;
const docs = (m: Json): Json[] => m.documents as Json[];

describe('loadGoldenSet', () => {
  it('loads the mini set with absolute paths, checked hashes and defaults applied', async () => {
    const set = await loadGoldenSet('test/fixtures/golden-mini');
    expect(set.dir).toBe(MINI);
    expect(set.manifest.format).toBe('ragbench-golden/1');
    expect(set.documents[0]).toEqual({
      id: 'Greyhaven_Lighthouse',
      file: join(MINI, 'docs/Greyhaven_Lighthouse.pdf'),
      sha256: docs(JSON.parse(await readFile(join(MINI, 'manifest.json'), 'utf8')) as Json)[0]?.sha256,
      pages: 2,
    });
    expect(set.questions).toHaveLength(14);
    expect(set.questions[11]).toEqual({
      id: 'mini-12',
      question: "What was the name of the Greyhaven keepers' dog?",
      answerable: false,
      answers: [],
      evidence: [],
    });
  });

  it('defaults pageEnd to page and skips blank lines', async () => {
    const dir = await brokenSet({
      questions: (qs) => {
        delete evidence0(qs, 1).pageEnd;
      },
    });
    const text = await readFile(join(dir, 'questions.jsonl'), 'utf8');
    await writeFile(join(dir, 'questions.jsonl'), `\n${text}\n\n`);
    const set = await loadGoldenSet(dir);
    expect(set.questions[0]?.evidence[0]).toMatchObject({ page: 1, pageEnd: 1 });
    expect(set.questions).toHaveLength(14);
  });

  describe('questions.jsonl errors name the file, the line and the field', () => {
    it('a wrong type', async () => {
      const dir = await brokenSet({ questions: (qs) => void (evidence0(qs, 3).page = '1') });
      expect(await loadError(dir)).toBe(`${join(dir, 'questions.jsonl')}:3: evidence.0.page: expected number, got string "1"`);
    });

    it('a missing field', async () => {
      const dir = await brokenSet({ questions: (qs) => void delete (qs[1] as Json).id });
      expect(await loadError(dir)).toBe(`${join(dir, 'questions.jsonl')}:2: id: required (expected string)`);
    });

    it('an unknown field (a typo is not silently ignored)', async () => {
      const dir = await brokenSet({ questions: (qs) => void (evidence0(qs, 4).pageend = 2) });
      expect(await loadError(dir)).toBe(`${join(dir, 'questions.jsonl')}:4: evidence.0: unknown field "pageend"`);
    });

    it('a page that is not a positive integer', async () => {
      const dir = await brokenSet({ questions: (qs) => void (evidence0(qs, 1).page = 0) });
      expect(await loadError(dir)).toBe(`${join(dir, 'questions.jsonl')}:1: evidence.0.page: must be 1 or more (pages are numbered from 1)`);
    });

    it('a page that is not an integer', async () => {
      const dir = await brokenSet({ questions: (qs) => void (evidence0(qs, 1).pageEnd = 1.5) });
      expect(await loadError(dir)).toBe(`${join(dir, 'questions.jsonl')}:1: evidence.0.pageEnd: expected an integer, got number 1.5`);
    });

    it('a line that is not an object', async () => {
      const dir = await brokenSet({ questions: (qs) => [...qs.slice(0, 2), ['mini-03'] as unknown as Json] });
      expect(await loadError(dir)).toBe(`${join(dir, 'questions.jsonl')}:3: (root): expected object, got array`);
    });

    it('an empty answer string', async () => {
      const dir = await brokenSet({ questions: (qs) => void ((qs[0] as Json).answers = ['  ']) });
      expect(await loadError(dir)).toBe(`${join(dir, 'questions.jsonl')}:1: answers.0: must not be empty`);
    });

    it('invalid JSON', async () => {
      const dir = await brokenSet({});
      const lines = (await readFile(join(dir, 'questions.jsonl'), 'utf8')).split('\n');
      lines[4] = '{"id": "mini-05",';
      await writeFile(join(dir, 'questions.jsonl'), lines.join('\n'));
      expect(await loadError(dir)).toMatch(new RegExp(`^${escape(join(dir, 'questions.jsonl'))}:5: invalid JSON: `));
    });

    it('evidence naming a document the manifest does not list', async () => {
      const dir = await brokenSet({ questions: (qs) => void (evidence0(qs, 2).doc = 'Lighthouse') });
      expect(await loadError(dir)).toBe(
        `${join(dir, 'questions.jsonl')}:2: evidence.0.doc: unknown document "Lighthouse" (not in manifest.json)`,
      );
    });

    it('pages outside the document, and pageEnd before page', async () => {
      const dir = await brokenSet({
        questions: (qs) => {
          evidence0(qs, 1).page = 3;
          evidence0(qs, 1).pageEnd = 3;
          evidence0(qs, 2).page = 2;
          evidence0(qs, 2).pageEnd = 1;
          evidence0(qs, 3).pageEnd = 5;
        },
      });
      const file = join(dir, 'questions.jsonl');
      expect((await loadError(dir)).split('\n')).toEqual([
        `${file}:1: evidence.0.page: 3 is past the last page of "Greyhaven_Lighthouse" (2 pages)`,
        `${file}:1: evidence.0.pageEnd: 3 is past the last page of "Greyhaven_Lighthouse" (2 pages)`,
        `${file}:2: evidence.0.pageEnd: 1 is before page 2`,
        `${file}:3: evidence.0.pageEnd: 5 is past the last page of "Greyhaven_Lighthouse" (2 pages)`,
      ]);
    });

    it('a duplicate question id, naming the first line', async () => {
      const dir = await brokenSet({ questions: (qs) => void ((qs[6] as Json).id = 'mini-02') });
      expect(await loadError(dir)).toBe(`${join(dir, 'questions.jsonl')}:7: id: duplicate question id "mini-02" (first on line 2)`);
    });

    it('answers or evidence that contradict answerable', async () => {
      const dir = await brokenSet({
        questions: (qs) => {
          (qs[11] as Json).answers = ['Rex'];
          (qs[0] as Json).evidence = [];
        },
      });
      const file = join(dir, 'questions.jsonl');
      expect((await loadError(dir)).split('\n')).toEqual([
        `${file}:1: evidence: an answerable question needs at least one evidence passage`,
        `${file}:12: answers: must be empty when answerable is false`,
      ]);
    });

    it('a long wrong value is shortened in the message', async () => {
      const dir = await brokenSet({ questions: (qs) => void ((qs[0] as Json).answerable = 'x'.repeat(100)) });
      expect(await loadError(dir)).toBe(`${join(dir, 'questions.jsonl')}:1: answerable: expected boolean, got string "${'x'.repeat(36)}...`);
    });

    it('questions.jsonl that is a folder', async () => {
      const dir = await brokenSet({});
      await rm(join(dir, 'questions.jsonl'));
      await mkdir(join(dir, 'questions.jsonl'));
      expect(await loadError(dir)).toBe(`${join(dir, 'questions.jsonl')}: cannot read: is a directory`);
    });

    it('no questions at all', async () => {
      const dir = await brokenSet({ raw: '\n' });
      expect(await loadError(dir)).toBe(`${join(dir, 'questions.jsonl')}: no questions`);
    });

    it('lists at most 20 problems and counts the rest', async () => {
      const dir = await brokenSet({
        questions: (qs) => Array.from({ length: 25 }, (_, i) => ({ ...qs[0], id: `q${i}`, answerable: 'yes' })),
      });
      const lines = (await loadError(dir)).split('\n');
      expect(lines).toHaveLength(21);
      expect(lines[0]).toBe(`${join(dir, 'questions.jsonl')}:1: answerable: expected boolean, got string "yes"`);
      expect(lines[20]).toBe(`... and 5 more problems in ${join(dir, 'questions.jsonl')}`);
    });
  });

  describe('manifest and document errors', () => {
    it('a missing set folder names the manifest', async () => {
      const dir = join(tmp, 'no-such-set');
      expect(await loadError(dir)).toBe(`${join(dir, 'manifest.json')}: cannot read: file not found`);
    });

    it('a manifest that is not JSON', async () => {
      const dir = await brokenSet({});
      await writeFile(join(dir, 'manifest.json'), '{"format": ');
      expect(await loadError(dir)).toMatch(new RegExp(`^${escape(join(dir, 'manifest.json'))}: invalid JSON: `));
    });

    it('a wrong format version and a bad sha256', async () => {
      const dir = await brokenSet({
        manifest: (m) => {
          m.format = 'ragbench-golden/2';
          (docs(m)[1] as Json).sha256 = 'ABC';
        },
      });
      const file = join(dir, 'manifest.json');
      expect((await loadError(dir)).split('\n')).toEqual([
        `${file}: format: expected "ragbench-golden/1", got string "ragbench-golden/2"`,
        `${file}: documents.1.sha256: must be 64 lowercase hex digits`,
      ]);
    });

    it('no documents', async () => {
      const dir = await brokenSet({ manifest: (m) => void (m.documents = []) });
      expect(await loadError(dir)).toBe(`${join(dir, 'manifest.json')}: documents: must list at least one document`);
    });

    it('duplicate document ids and files, and a file outside the set folder', async () => {
      const dir = await brokenSet({
        manifest: (m) => {
          const d = docs(m);
          (d[1] as Json).id = 'Greyhaven_Lighthouse';
          (d[2] as Json).file = './docs/Comment_Form_Audit.pdf';
          d.push({ ...(d[0] as Json), id: 'Elsewhere', file: '../elsewhere.pdf' });
        },
      });
      const file = join(dir, 'manifest.json');
      expect((await loadError(dir)).split('\n')).toEqual([
        `${file}: documents.1.id: duplicate document id "Greyhaven_Lighthouse" (also documents.0.id)`,
        `${file}: documents.2.file: "./docs/Comment_Form_Audit.pdf" is also documents.1.file`,
        `${file}: documents.3.file: "../elsewhere.pdf" must be a relative path inside the set folder`,
      ]);
    });

    it('a PDF whose sha256 differs from the manifest names the file', async () => {
      const dir = await brokenSet({});
      const pdf = join(dir, 'docs/Harbour_Tides.pdf');
      await writeFile(pdf, Buffer.concat([await readFile(pdf), Buffer.from('\n% appended\n')]));
      expect(await loadError(dir)).toMatch(
        new RegExp(`^${escape(pdf)}: sha256 mismatch: the file's is [0-9a-f]{64}, ${escape(join(dir, 'manifest.json'))} documents\\.2\\.sha256 says [0-9a-f]{64}$`),
      );
    });

    it('a missing PDF', async () => {
      const dir = await brokenSet({});
      await rm(join(dir, 'docs/Comment_Form_Audit.pdf'));
      expect(await loadError(dir)).toBe(
        `${join(dir, 'docs/Comment_Form_Audit.pdf')}: cannot read (listed in ${join(dir, 'manifest.json')} documents.1.file): file not found`,
      );
    });

    it('a page count that differs from the PDF', async () => {
      const dir = await brokenSet({ manifest: (m) => void ((docs(m)[0] as Json).pages = 3) });
      expect(await loadError(dir)).toBe(
        `${join(dir, 'docs/Greyhaven_Lighthouse.pdf')}: has 2 pages, ${join(dir, 'manifest.json')} documents.0.pages says 3`,
      );
    });

    it('a file that is not a PDF loads as unreadable, with the reason, for ingest to report', async () => {
      const text = Buffer.from('Tides at the northern harbour\n');
      const { createHash } = await import('node:crypto');
      const dir = await brokenSet({ manifest: (m) => void ((docs(m)[2] as Json).sha256 = createHash('sha256').update(text).digest('hex')) });
      await writeFile(join(dir, 'docs/Harbour_Tides.pdf'), text);
      const set = await loadGoldenSet(dir);
      expect(set.documents[2]).toMatchObject({
        id: 'Harbour_Tides',
        unreadable: 'not a PDF: no "%PDF-" header in its first 1024 bytes (looks like plain text)',
      });
      expect(set.documents[0]?.unreadable).toBeUndefined();
    });
  });
});

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
