import { normalizeQuestion } from '../serve/cache.ts';
import { seededRandom, seededShuffle } from '../stats/random.ts';
import { InputError } from '../util/errors.ts';
import type { LoadSettings, Mix } from './settings.ts';

/**
 * The questions each query mix asks, from the golden set. Distinct as the service's cache sees
 * them (its normalisation), shuffled with the suite's seed, then cut into disjoint parts: the
 * zipf mix's head (of which the hits mix takes the most popular), and one slice per unique
 * step, so no unique question was ever asked before — by any step or the warm-up.
 */
export interface QuestionPlan {
  /** Zipf ranks: index 0 is the most popular question. */
  zipf: string[];
  /** Already cached after the warm-up (the zipf head). */
  hits: string[];
  /** One slice per unique step (in step order), and one for the soak when it asks unique questions. */
  unique: string[][];
}

export function distinctQuestions(questions: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const q of questions) {
    const key = normalizeQuestion(q);
    if (key.length > 0 && !seen.has(key)) {
      seen.add(key);
      out.push(q);
    }
  }
  return out;
}

export function planQuestions(questions: readonly string[], settings: LoadSettings): QuestionPlan {
  const pool = seededShuffle(distinctQuestions(questions), settings.zipf.seed);
  const uniqueSteps = settings.mixes.includes('unique') ? settings.concurrency.length : 0;
  const slices = uniqueSteps + (settings.soak?.mix === 'unique' ? 1 : 0);
  const zipfSize = Math.min(settings.zipf.questions, slices > 0 ? Math.floor(pool.length / 2) : pool.length);
  if (zipfSize < settings.hitQuestions) {
    throw new InputError(`load: the golden set has ${pool.length} distinct questions, too few for ${settings.hitQuestions} hit questions and the unique mix`);
  }
  const zipf = pool.slice(0, zipfSize);
  const rest = pool.slice(zipfSize);
  const per = slices > 0 ? Math.floor(rest.length / slices) : 0;
  const unique = Array.from({ length: slices }, (_, i) => rest.slice(i * per, (i + 1) * per));
  const widest = Math.max(...settings.concurrency);
  if (uniqueSteps > 0 && per < widest) {
    throw new InputError(
      `load: the unique mix needs at least ${widest} distinct questions per step (one per connection at concurrency ${widest}); the golden set leaves ${per} (${pool.length} distinct, ${zipfSize} for zipf) — lower load.zipf.questions or the concurrency`,
    );
  }
  return { zipf, hits: zipf.slice(0, settings.hitQuestions), unique };
}

/**
 * Draws ranks 0..n-1 with P(r) ∝ 1 / (r + 1)^s, by binary search in the cumulative
 * distribution (seeded, so a step's request sequence replays exactly).
 */
export function zipfSampler(n: number, exponent: number, seed: number): () => number {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) {
    total += 1 / (r + 1) ** exponent;
    cdf[r] = total;
  }
  const random = seededRandom(seed);
  return () => {
    const u = random() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cdf[mid] as number) < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

/** The next question of a mix, called once per request. */
export type QuestionSource = () => string;

/**
 * A question source for one step. `unique` walks its slice once (the step's request bound is
 * the slice's length, see `requestBound`); `hits` cycles the cached head; `zipf` samples.
 */
export function questionSource(mix: Mix, plan: QuestionPlan, settings: LoadSettings, slice: number, seed: number): QuestionSource {
  if (mix === 'zipf') {
    const next = zipfSampler(plan.zipf.length, settings.zipf.exponent, seed);
    return () => plan.zipf[next()] as string;
  }
  const list = mix === 'hits' ? plan.hits : (plan.unique[slice] ?? []);
  if (list.length === 0) throw new InputError(`load: no questions left for the ${mix} mix (step ${slice + 1})`);
  let i = 0;
  return () => list[i++ % list.length] as string;
}

/** Most requests a step may send: a unique step never repeats a question. */
export function requestBound(mix: Mix, plan: QuestionPlan, settings: LoadSettings, slice: number): number {
  return mix === 'unique' ? Math.min(settings.stepRequests, plan.unique[slice]?.length ?? 0) : settings.stepRequests;
}
