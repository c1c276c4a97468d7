import { beforeAll, describe, expect, it } from 'vitest';
import { loadGoldenSet, type GoldenQuestion } from '../../src/evaluate/golden.ts';
import { passageGroups, questionShare } from '../../src/shard/questions.ts';
import { selectQuestions } from '../../src/suite/sample.ts';
import { parseShard } from '../../src/shard/spec.ts';
import { InputError } from '../../src/util/errors.ts';

/** The question split on the bundled SQuAD set's test split (3,079 questions, paragraphs shared by ~5 questions each). */
let questions: GoldenQuestion[];

beforeAll(async () => {
  const golden = await loadGoldenSet('golden/squad-dev');
  questions = selectQuestions(golden.questions, 'test', undefined).questions;
}, 60_000);

const passages = (q: GoldenQuestion): string[] => q.evidence.map((e) => `${e.doc}\u0000${e.text}`);
const docOf = (q: GoldenQuestion): string => q.evidence[0]?.doc ?? '';

describe('questionShare on the bundled test split', () => {
  it('4 shards: disjoint, covering the sample, each in sample order', () => {
    const shares = [1, 2, 3, 4].map((i) => questionShare(questions, i, 4));
    const all = shares.flat();
    expect(new Set(all).size).toBe(questions.length);
    expect(all.length).toBe(questions.length);
    for (const s of shares) expect(s).toEqual(s.slice().sort((a, b) => a - b));
  });

  it('no evidence passage straddles two shards (the evidence counts then add up exactly)', () => {
    const shardOfPassage = new Map<string, number>();
    for (const i of [1, 2, 3]) {
      for (const at of questionShare(questions, i, 3)) {
        for (const p of passages(questions[at] as GoldenQuestion)) {
          expect(shardOfPassage.get(p) ?? i).toBe(i);
          shardOfPassage.set(p, i);
        }
      }
    }
  });

  it('every shard gets its share of every document, within one passage group', () => {
    const largest = Math.max(...passageGroups(questions).map((g) => g.length));
    const count = 4;
    const docs = [...new Set(questions.map(docOf))];
    for (const doc of docs) {
      const perShard = [1, 2, 3, 4].map((i) => questionShare(questions, i, count).filter((at) => docOf(questions[at] as GoldenQuestion) === doc).length);
      expect(Math.max(...perShard) - Math.min(...perShard), doc).toBeLessThanOrEqual(largest);
    }
    // The 8 test articles, and '' for questions without evidence (dealt like any other group).
    expect(docs.filter((d) => d !== '')).toHaveLength(8);
  });

  it('depends only on the sample: the same split every time', () => {
    expect(questionShare(questions, 2, 5)).toEqual(questionShare([...questions], 2, 5));
  });
});

describe('parseShard', () => {
  it('reads i/n and refuses anything else, naming the fix', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    expect(parseShard(' 1 / 1 ')).toEqual({ index: 1, count: 1 });
    for (const bad of ['0/2', '3/2', '2', '-1/2', '1/0', 'a/b']) expect(() => parseShard(bad)).toThrow(InputError);
    expect(() => parseShard('3/2')).toThrow(/between 1 and 2/);
  });
});
