import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { loadGoldenSet } from '../../src/evaluate/golden.ts';
import { assignSplits, chooseDevDocuments, DEFAULT_SPLIT_RULE, documentOfEach, seededShuffle, withSplit } from '../../src/tune/splits.ts';

describe('the bundled set\'s splits (golden/squad-dev)', () => {
  it('are what scripts/assign-splits.ts writes with the documented rule, byte for byte', async () => {
    const committed = await readFile('golden/squad-dev/questions.jsonl', 'utf8');
    const unsplit = committed.replace(/,"split":"(dev|test)"}$/gm, '}');
    expect(unsplit).not.toContain('"split"');
    const set = await loadGoldenSet('golden/squad-dev');
    const out = assignSplits(unsplit, set.documents.map((d) => d.id), DEFAULT_SPLIT_RULE);
    expect(out.text).toBe(committed);
    expect(out.devDocuments).toEqual(['1973_oil_crisis', 'Imperialism', 'Huguenot', 'Harvard_University']);
  });

  it('put whole documents in one split, about a third of the answerable questions in dev', async () => {
    const set = await loadGoldenSet('golden/squad-dev');
    expect(set.questions.every((q) => q.split === 'dev' || q.split === 'test')).toBe(true);
    const docs = documentOfEach(set.questions);
    const splitsOfDoc = new Map<string, Set<string>>();
    set.questions.forEach((q, i) => {
      const doc = docs[i] as string;
      splitsOfDoc.set(doc, (splitsOfDoc.get(doc) ?? new Set()).add(q.split ?? ''));
    });
    expect(splitsOfDoc.size).toBe(12);
    for (const splits of splitsOfDoc.values()) expect(splits.size).toBe(1);
    // Evidence of a dev question never lies in a test document.
    for (const q of set.questions) for (const e of q.evidence) expect(splitsOfDoc.get(e.doc)).toEqual(new Set([q.split]));
    const answerable = set.questions.filter((q) => q.answerable);
    const devShare = answerable.filter((q) => q.split === 'dev').length / answerable.length;
    expect(devShare).toBeGreaterThan(0.25);
    expect(devShare).toBeLessThan(0.4);
  });
});

describe('split rule', () => {
  it('shuffles deterministically and picks a third of the documents', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
    expect(seededShuffle(ids, 1)).toEqual(seededShuffle(ids, 1));
    expect([...seededShuffle(ids, 1)].sort()).toEqual(ids);
    expect(seededShuffle(ids, 1)).not.toEqual(seededShuffle(ids, 2));
    expect(chooseDevDocuments(ids, { seed: 1, devFraction: 1 / 3 })).toHaveLength(2);
    // Never empty, never everything.
    expect(chooseDevDocuments(['a', 'b'], { seed: 1, devFraction: 0.01 })).toHaveLength(1);
    expect(chooseDevDocuments(['a', 'b'], { seed: 1, devFraction: 0.99 })).toHaveLength(1);
    expect(() => chooseDevDocuments(['a'], DEFAULT_SPLIT_RULE)).toThrow(/at least 2 documents/);
  });

  it('gives a question without evidence the document of the answerable question before it', () => {
    const q = (doc?: string) => ({ id: 'x', evidence: doc === undefined ? [] : [{ doc }] });
    expect(documentOfEach([q(), q('A'), q(), q('B'), q(), q()])).toEqual(['A', 'A', 'A', 'B', 'B', 'B']);
  });

  it('adds the field without touching the rest of the line, and re-assigns its own field', () => {
    const line = '{"id":"q1","answers":["}"],"evidence":[]}';
    expect(withSplit(line, 'dev')).toBe('{"id":"q1","answers":["}"],"evidence":[]},"split":"dev"}'.replace('},"split"', ',"split"'));
    expect(withSplit(withSplit(line, 'dev'), 'test')).toBe('{"id":"q1","answers":["}"],"evidence":[],"split":"test"}');
    expect(withSplit('{ "split": "dev", "id": "q" }', 'test')).toBe('{"split":"test","id":"q"}');
  });

  it('keeps blank lines and CRLF line ends', () => {
    const text = '{"id":"1","answerable":true,"evidence":[{"doc":"A"}]}\r\n\r\n{"id":"2","answerable":false,"evidence":[]}\r\n';
    const out = assignSplits(text, ['A', 'B'], { seed: 1, devFraction: 0.5 });
    const split = out.devDocuments[0] === 'A' ? 'dev' : 'test';
    expect(out.text).toBe(`{"id":"1","answerable":true,"evidence":[{"doc":"A"}],"split":"${split}"}\r\n\r\n{"id":"2","answerable":false,"evidence":[],"split":"${split}"}\r\n`);
    expect(out.counts[split]).toEqual({ questions: 2, answerable: 1 });
  });
});
