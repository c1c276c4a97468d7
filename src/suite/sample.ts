import { countShortAnswers } from '../evaluate/answers.ts';
import type { GoldenQuestion } from '../evaluate/golden.ts';
import type { GoldenSample } from '../summary/schema.ts';

/**
 * A deterministic, evenly spread sample of `n` items: every (length/n)-th item, so each
 * document of a golden set keeps its share of questions (the first N would be one article).
 */
export function evenSample<T>(items: readonly T[], n: number | undefined): T[] {
  if (n === undefined || n >= items.length) return [...items];
  const step = items.length / n;
  return Array.from({ length: n }, (_, i) => items[Math.floor(i * step)] as T);
}

export interface QuestionSelection {
  questions: GoldenQuestion[];
  sample: GoldenSample;
}

/**
 * The questions a suite scores: its split of the set (questions without a `split` in a set
 * that has splits count as `test`: they were never tuned on), then an even sample of them.
 */
export function selectQuestions(
  all: readonly GoldenQuestion[],
  split: 'dev' | 'test' | 'all',
  size: number | undefined,
): QuestionSelection {
  const setHasSplits = all.some((q) => q.split !== undefined);
  const effective = setHasSplits ? split : 'all';
  const pool = effective === 'all' ? all : all.filter((q) => (q.split ?? 'test') === effective);
  const questions = evenSample(pool, size);
  const answerable = questions.filter((q) => q.answerable).length;
  return {
    questions,
    sample: {
      split: effective,
      method: questions.length < pool.length ? 'even' : 'all',
      seed: null,
      size: questions.length,
      answerable,
      unanswerable: questions.length - answerable,
      shortAnswers: countShortAnswers(questions),
      ids: questions.map((q) => q.id),
    },
  };
}
