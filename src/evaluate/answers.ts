import { normalizeText } from '../text/normalize.ts';

/** Answers this short are the ones substring matching got wrong ("P", "ten" in "often"). */
export const SHORT_ANSWER_CHARS = 3;

/** Length, after golden-format normalisation, of a question's shortest gold answer (null: no answers). */
export function shortestAnswerLength(answers: readonly string[]): number | null {
  const lengths = answers.map((a) => [...normalizeText(a)].length).filter((n) => n > 0);
  return lengths.length === 0 ? null : Math.min(...lengths);
}

/**
 * Answerable questions whose shortest gold answer has at most SHORT_ANSWER_CHARS characters
 * (summary.json `golden.sample.shortAnswers`): how many answers are matched only because
 * matching respects token boundaries.
 */
export function countShortAnswers(questions: readonly { answerable: boolean; answers: readonly string[] }[]): number {
  return questions.filter((q) => {
    if (!q.answerable) return false;
    const shortest = shortestAnswerLength(q.answers);
    return shortest !== null && shortest <= SHORT_ANSWER_CHARS;
  }).length;
}
