import { describe, expect, it } from 'vitest';
import { countShortAnswers, SHORT_ANSWER_CHARS, shortestAnswerLength } from '../../src/evaluate/answers.ts';
import { loadGoldenSet } from '../../src/evaluate/golden.ts';

describe('short answers (golden.sample.shortAnswers)', () => {
  it('measures the shortest answer after golden-format normalisation', () => {
    expect(SHORT_ANSWER_CHARS).toBe(3);
    expect(shortestAnswerLength(['complexity class P', 'P'])).toBe(1);
    expect(shortestAnswerLength(['  ten  ', 'ten people'])).toBe(3);
    expect(shortestAnswerLength(['ﬁve'])).toBe(4); // the ligature is two letters
    expect(shortestAnswerLength([])).toBeNull();
  });

  it('counts answerable questions only', () => {
    const qs = [
      { answerable: true, answers: ['P', 'class P'] },
      { answerable: true, answers: ['ten'] },
      { answerable: true, answers: ['1874'] },
      { answerable: false, answers: [] },
    ];
    expect(countShortAnswers(qs)).toBe(2);
  });

  it('on the bundled sets: 95 of the 2,147 answerable SQuAD questions, 1 of the mini set ("214")', async () => {
    const squad = await loadGoldenSet('golden/squad-dev');
    expect(countShortAnswers(squad.questions)).toBe(95);
    const mini = await loadGoldenSet('test/fixtures/golden-mini');
    expect(countShortAnswers(mini.questions)).toBe(1);
  });
});
