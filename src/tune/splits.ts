import { seededRandom, randomIndex } from '../stats/random.ts';
import type { Split } from '../evaluate/golden-schema.ts';

/**
 * Splitting a golden set by whole documents: the dev split holds every question of some
 * documents, the test split every question of the others, so the scored questions come from
 * documents the tuning never saw (no paragraph, no neighbouring question leaks across).
 */

export interface SplitRule {
  /** Seed of the shuffle of document ids (manifest order) that picks the dev documents. */
  seed: number;
  /** Share of documents in dev, rounded to the nearest whole document (at least 1, at most all but 1). */
  devFraction: number;
}

export const DEFAULT_SPLIT_RULE: SplitRule = { seed: 1, devFraction: 1 / 3 };

/** Fisher-Yates with the project's seeded PRNG: the same ids and seed give the same order everywhere. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  const random = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomIndex(random, i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The dev documents: the first round(n * devFraction) ids of the seeded shuffle. */
export function chooseDevDocuments(documentIds: readonly string[], rule: SplitRule): string[] {
  if (documentIds.length < 2) throw new Error('a set needs at least 2 documents to split by document');
  if (!(rule.devFraction > 0 && rule.devFraction < 1)) throw new Error(`devFraction must be between 0 and 1, got ${rule.devFraction}`);
  const count = Math.min(documentIds.length - 1, Math.max(1, Math.round(documentIds.length * rule.devFraction)));
  return seededShuffle(documentIds, rule.seed).slice(0, count);
}

interface QuestionLike {
  id: string;
  evidence: readonly { doc: string }[];
}

/**
 * The document each question belongs to: its first evidence passage's. A question without
 * evidence (unanswerable) takes the document of the nearest answerable question before it in
 * the file, or after it when none comes before: sets written document by document (as
 * squad-dev is; checked against SQuAD's articles) keep every question with its own document.
 */
export function documentOfEach(questions: readonly QuestionLike[]): string[] {
  const docs: (string | undefined)[] = questions.map((q) => q.evidence[0]?.doc);
  let previous: string | undefined;
  for (let i = 0; i < docs.length; i++) {
    if (docs[i] === undefined) docs[i] = previous;
    else previous = docs[i];
  }
  const firstKnown = docs.find((d) => d !== undefined);
  if (firstKnown === undefined) throw new Error('no question has evidence: cannot tell which document a question belongs to');
  return docs.map((d) => d ?? firstKnown);
}

/**
 * One questions.jsonl line with its `split` set, every other byte unchanged: the field is
 * appended before the closing brace (or its value replaced when this rule wrote it before).
 */
export function withSplit(line: string, split: Split): string {
  const ours = /,"split":"(dev|test)"}\s*$/;
  if (ours.test(line)) return line.replace(ours, `,"split":"${split}"}`);
  const parsed = JSON.parse(line) as Record<string, unknown>;
  if ('split' in parsed) return JSON.stringify({ ...parsed, split }); // someone else's formatting: rewrite this line
  const close = line.lastIndexOf('}');
  return `${line.slice(0, close)},"split":"${split}"${line.slice(close)}`;
}

export interface SplitOutcome {
  text: string;
  devDocuments: string[];
  counts: Record<Split, { questions: number; answerable: number }>;
}

/**
 * Rewrites the text of a questions.jsonl: every question gets the split of its document.
 * Blank lines and line endings are kept.
 */
export function assignSplits(questionsText: string, documentIds: readonly string[], rule: SplitRule): SplitOutcome {
  const lines = questionsText.split('\n');
  const entries: { at: number; q: QuestionLike & { answerable: boolean } }[] = [];
  lines.forEach((raw, at) => {
    if (raw.trim().length === 0) return;
    entries.push({ at, q: JSON.parse(raw) as QuestionLike & { answerable: boolean } });
  });
  const devDocuments = chooseDevDocuments(documentIds, rule);
  const dev = new Set(devDocuments);
  const docs = documentOfEach(entries.map((e) => e.q));
  const counts: SplitOutcome['counts'] = { dev: { questions: 0, answerable: 0 }, test: { questions: 0, answerable: 0 } };
  entries.forEach(({ at, q }, i) => {
    const split: Split = dev.has(docs[i] as string) ? 'dev' : 'test';
    counts[split].questions++;
    if (q.answerable) counts[split].answerable++;
    const raw = lines[at] as string;
    const cr = raw.endsWith('\r') ? '\r' : '';
    lines[at] = withSplit(cr ? raw.slice(0, -1) : raw, split) + cr;
  });
  return { text: lines.join('\n'), devDocuments, counts };
}
