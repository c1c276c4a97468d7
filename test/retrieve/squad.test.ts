import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSquad, readSquadArticles } from './squad.ts';

const scratch = mkdtempSync(join(tmpdir(), 'ragbench-squad-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

let sets = 0;
/** A golden-set folder holding only what readSquadArticles reads: manifest.json and questions.jsonl. */
function goldenSet(docs: string[], questions: object[]): string {
  const dir = join(scratch, `set-${++sets}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir);
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ documents: docs.map((id) => ({ id })) }));
  writeFileSync(join(dir, 'questions.jsonl'), questions.map((q) => JSON.stringify(q)).join('\n') + '\n');
  return dir;
}

const answerable = (id: string, doc: string, text: string, answer: string) => ({
  id,
  question: `${id}?`,
  answerable: true,
  answers: [answer],
  evidence: [{ doc, page: 1, text }],
});
const impossible = (id: string) => ({ id, question: `${id}?`, answerable: false, answers: [], evidence: [] });

describe('SQuAD paragraphs from the bundled golden set (test/retrieve/squad.ts)', () => {
  it('rebuilds articles and paragraphs, keeping each unanswerable question after the answerable one before it', () => {
    const dir = goldenSet(
      ['A', 'B'],
      [answerable('q1', 'A', 'Alpha one.', 'one'), impossible('q2'), answerable('q3', 'A', 'Alpha one.', 'Alpha'), answerable('q4', 'A', 'Alpha two.', 'two'), answerable('q5', 'B', 'Beta.', 'Beta'), impossible('q6')],
    );
    expect(readSquadArticles(dir)).toEqual([
      {
        title: 'A',
        paragraphs: [
          {
            context: 'Alpha one.',
            qas: [
              { id: 'q1', question: 'q1?', isImpossible: false, answers: [{ text: 'one', start: 6 }] },
              { id: 'q2', question: 'q2?', isImpossible: true, answers: [] },
              { id: 'q3', question: 'q3?', isImpossible: false, answers: [{ text: 'Alpha', start: 0 }] },
            ],
          },
          { context: 'Alpha two.', qas: [{ id: 'q4', question: 'q4?', isImpossible: false, answers: [{ text: 'two', start: 6 }] }] },
        ],
      },
      {
        title: 'B',
        paragraphs: [
          {
            context: 'Beta.',
            qas: [
              { id: 'q5', question: 'q5?', isImpossible: false, answers: [{ text: 'Beta', start: 0 }] },
              { id: 'q6', question: 'q6?', isImpossible: true, answers: [] },
            ],
          },
        ],
      },
    ]);
  });

  it('uses the answer offsets a set gives rather than the first occurrence', () => {
    const q = answerable('q1', 'A', 'one and one', 'one');
    const dir = goldenSet(['A'], [{ ...q, evidence: [{ ...q.evidence[0], answers: [{ text: 'one', start: 8 }] }] }]);
    expect(readSquadArticles(dir)[0]?.paragraphs[0]?.qas[0]?.answers).toEqual([{ text: 'one', start: 8 }]);
  });

  it('refuses questions out of SQuAD order, naming the file and line', () => {
    const dir = goldenSet(['A'], [answerable('q1', 'A', 'First.', 'First'), answerable('q2', 'A', 'Second.', 'Second'), answerable('q3', 'A', 'First.', 'First')]);
    expect(() => readSquadArticles(dir)).toThrow(`${join(dir, 'questions.jsonl')}:3: question q3 goes back to an earlier paragraph`);
  });

  it('refuses an answer outside its paragraph and a document without questions', () => {
    expect(() => readSquadArticles(goldenSet(['A'], [answerable('q1', 'A', 'First.', 'Second')]))).toThrow(':1: answer "Second" is not in its evidence paragraph');
    expect(() => readSquadArticles(goldenSet(['A', 'B'], [answerable('q1', 'A', 'First.', 'First')]))).toThrow('no question has its evidence in "B"');
  });

  it('gives the bundled set as 12 documents of paragraph chunks whose spans index the document text', () => {
    const { chunks, docs, questions } = loadSquad();
    expect(docs.size).toBe(12);
    expect(chunks).toHaveLength(481);
    expect(questions).toHaveLength(2147);
    for (const c of chunks) expect(docs.get(c.docId)?.slice(c.charStart, c.charEnd)).toBe(c.text);
    const firstThree = loadSquad(12, 3);
    expect(firstThree.chunks).toHaveLength(36);
    expect(new Set(firstThree.questions.map((q) => q.chunkId)).size).toBe(36);
  });
});
