import { describe, expect, it } from 'vitest';
import { distinctQuestions, planQuestions, questionSource, requestBound, zipfSampler } from '../../src/load/mixes.ts';
import { LoadSuiteSchema } from '../../src/load/settings.ts';
import { normalizeQuestion } from '../../src/serve/cache.ts';
import { loadGoldenSet } from '../../src/evaluate/golden.ts';
import { InputError } from '../../src/util/errors.ts';

const settings = (over: Record<string, unknown> = {}) => LoadSuiteSchema.parse(over);

describe('load question mixes', () => {
  it('keeps questions distinct as the service cache sees them', () => {
    expect(distinctQuestions(['Who?', ' Who? ', 'who?', 'Wh\u200bo?', 'What', ''])).toEqual(['Who?', 'who?', 'Wh\u200bo?', 'What']);
  });

  it('cuts the bundled golden questions into a zipf head and disjoint unique slices, one per step', async () => {
    const golden = await loadGoldenSet('golden/squad-dev');
    const s = settings();
    const plan = planQuestions(golden.questions.map((q) => q.question), s);
    expect(plan.zipf).toHaveLength(1000);
    expect(plan.hits).toEqual(plan.zipf.slice(0, 50));
    expect(plan.unique).toHaveLength(4);
    const seen = new Set(plan.zipf.map(normalizeQuestion));
    for (const slice of plan.unique) {
      expect(slice.length).toBeGreaterThanOrEqual(128);
      for (const q of slice) {
        expect(seen.has(normalizeQuestion(q)), q).toBe(false);
        seen.add(normalizeQuestion(q));
      }
    }
    // The same seed plans the same questions; another seed shuffles differently.
    expect(planQuestions(golden.questions.map((q) => q.question), s).zipf).toEqual(plan.zipf);
    expect(planQuestions(golden.questions.map((q) => q.question), settings({ zipf: { seed: 7 } })).zipf).not.toEqual(plan.zipf);
  });

  it('bounds a unique step by its slice, so no question repeats; other mixes by stepRequests', async () => {
    const golden = await loadGoldenSet('golden/squad-dev');
    const s = settings({ stepRequests: 100_000 });
    const plan = planQuestions(golden.questions.map((q) => q.question), s);
    expect(requestBound('unique', plan, s, 2)).toBe(plan.unique[2]?.length);
    expect(requestBound('zipf', plan, s, 2)).toBe(100_000);
    const next = questionSource('unique', plan, s, 2, 1);
    const asked = Array.from({ length: requestBound('unique', plan, s, 2) }, next);
    expect(new Set(asked).size).toBe(asked.length);
    const hits = questionSource('hits', plan, s, 0, 1);
    expect(new Set(Array.from({ length: 500 }, hits))).toEqual(new Set(plan.hits));
  });

  it('refuses a golden set too small for the unique mix at the widest concurrency, naming the fix', async () => {
    const golden = await loadGoldenSet('test/fixtures/golden-mini');
    const questions = golden.questions.map((q) => q.question);
    expect(() => planQuestions(questions, settings({ concurrency: [1, 8], gateAt: 8, zipf: { questions: 10 }, hitQuestions: 2 }))).toThrowError(InputError);
    expect(() => planQuestions(questions, settings({ concurrency: [1, 8], gateAt: 8, zipf: { questions: 10 }, hitQuestions: 2 }))).toThrowError(/lower load.zipf.questions or the concurrency/);
    expect(planQuestions(questions, settings({ concurrency: [1, 2], gateAt: 2, zipf: { questions: 10 }, hitQuestions: 2 })).unique).toHaveLength(2);
  });

  it('draws Zipf ranks with P(r) proportional to 1/(r+1)^s, reproducibly', () => {
    const n = 200;
    const draws = 200_000;
    const counts = new Array<number>(n).fill(0);
    const next = zipfSampler(n, 1, 42);
    for (let i = 0; i < draws; i++) counts[next()]!++;
    let harmonic = 0;
    for (let r = 1; r <= n; r++) harmonic += 1 / r;
    for (const r of [0, 1, 4, 49]) {
      const expected = draws / ((r + 1) * harmonic);
      // Within 5 binomial standard deviations.
      expect(Math.abs((counts[r] as number) - expected)).toBeLessThan(5 * Math.sqrt(expected));
    }
    const again = zipfSampler(n, 1, 42);
    const other = zipfSampler(n, 1, 43);
    const a = Array.from({ length: 50 }, zipfSampler(n, 1, 42));
    expect(Array.from({ length: 50 }, again)).toEqual(a);
    expect(Array.from({ length: 50 }, other)).not.toEqual(a);
    // A steeper exponent concentrates on the head.
    const steep = zipfSampler(n, 2, 42);
    const head = Array.from({ length: 10_000 }, steep).filter((r) => r === 0).length;
    expect(head / 10_000).toBeGreaterThan(0.55);
  });

  it('validates the load settings, naming the field', () => {
    const r = LoadSuiteSchema.safeParse({ concurrency: [1, 8], gateAt: 32 });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['gateAt']);
    expect(LoadSuiteSchema.safeParse({ concurrency: [] }).success).toBe(false);
    expect(LoadSuiteSchema.safeParse({ mixes: ['zipf', 'nope'] }).success).toBe(false);
  });
});
