/**
 * The accuracy canary: golden questions with known answers, asked through POST /query with
 * `noCache: true` (so every probe measures the index the service holds now, not a cached answer)
 * and judged by the suite's relevance rule (src/evaluate/relevance.ts) on the service's own
 * citations: a probe is right when a top-k hit's cited span covers a gold answer's occurrence in
 * the evidence. The evidence is located in an extraction of the golden PDFs by the extractor the
 * service reports in GET /stats, so the service's character offsets mean the same text.
 */
import { createExtractor } from '../extract/registry.ts';
import type { ExtractedDocument } from '../extract/types.ts';
import { loadGoldenSet, type GoldenQuestion } from '../evaluate/golden.ts';
import { RelevanceJudge } from '../evaluate/relevance.ts';
import { loadSummary } from '../gate/load.ts';
import { InputError } from '../util/errors.ts';
import { binomialCdf } from './binomial.ts';
import { request } from './http.ts';
import type { CanaryRules } from './rules.ts';

export interface Probe {
  /** Date.now() when it answered. */
  at: number;
  questionId: string;
  /** 1 right, 0 wrong; null when the query failed (the error-rate rule counts that). */
  correct: 0 | 1 | null;
  error?: string;
}

interface HitJson {
  citation: { doc: string; charStart: number; charEnd: number; quote: string };
}

/** The baseline accuracy the canary is compared with: a number, or a run's semanticAccuracy in a summary.json. */
export async function baselineAccuracy(baseline: CanaryRules['baseline']): Promise<{ accuracy: number; source: string }> {
  if ('accuracy' in baseline) return { accuracy: baseline.accuracy, source: 'rules' };
  const summary = await loadSummary(baseline.summary, 'baseline');
  const name = baseline.run ?? summary.suite.candidate;
  const run = summary.runs.find((r) => r.name === name || r.id === name) ?? (name === undefined && summary.runs.length === 1 ? summary.runs[0] : undefined);
  if (!run) {
    throw new InputError(
      `${baseline.summary}: canary.baseline.run: ${name === undefined ? 'the summary names no candidate; say which run' : `no run "${name}"`} (runs: ${summary.runs.map((r) => r.name).join(', ')})`,
    );
  }
  if (!run.accuracy) throw new InputError(`${baseline.summary}: run "${run.name}" has no accuracy (status ${run.status})`);
  return { accuracy: run.accuracy.semanticAccuracy, source: `${baseline.summary} run ${run.name}` };
}

export class Canary {
  private next = 0;
  private judge: RelevanceJudge | undefined;

  private constructor(
    private readonly rules: CanaryRules,
    private readonly questions: readonly GoldenQuestion[],
    private readonly files: ReadonlyMap<string, string>,
  ) {}

  /** Loads the golden set and picks the canary questions (bad input: InputError now, before watching). */
  static async load(rules: CanaryRules): Promise<Canary> {
    const set = await loadGoldenSet(rules.golden);
    const questions = set.questions.filter((q) => q.answerable && (rules.split === undefined || q.split === rules.split)).slice(0, rules.questions);
    if (questions.length === 0) throw new InputError(`${rules.golden}: canary: no answerable questions${rules.split ? ` in split ${rules.split}` : ''}`);
    return new Canary(rules, questions, new Map(set.documents.map((d) => [d.id, d.file])));
  }

  get size(): number {
    return this.questions.length;
  }

  /** Extracts the evidence documents the way the service does (its extractor, from GET /stats). Once. */
  private async prepare(service: string, timeoutMs: number): Promise<RelevanceJudge> {
    if (this.judge) return this.judge;
    const stats = await request(`${service}/stats`, timeoutMs);
    const body = JSON.parse(stats.text) as { pipeline?: { extractor?: { name?: string } } };
    const name = body.pipeline?.extractor?.name;
    if (stats.status !== 200 || !name) throw new Error(`${service}/stats: no pipeline extractor in the answer (status ${stats.status})`);
    const extractor = createExtractor(name);
    const docs = new Map<string, ExtractedDocument>();
    try {
      for (const id of new Set(this.questions.flatMap((q) => q.evidence.map((e) => e.doc)))) {
        const file = this.files.get(id);
        if (file) docs.set(id, await extractor.extract(file, id));
      }
    } finally {
      await extractor.close?.();
    }
    this.judge = new RelevanceJudge(docs);
    return this.judge;
  }

  /** Asks the next `perPoll` questions in turn; a failed query is a probe with `correct: null`. */
  async probe(service: string, timeoutMs: number): Promise<Probe[]> {
    const judge = await this.prepare(service, timeoutMs);
    const out: Probe[] = [];
    for (let i = 0; i < this.rules.perPoll; i++) {
      const q = this.questions[this.next % this.questions.length] as GoldenQuestion;
      this.next++;
      try {
        const r = await request(`${service}/query`, timeoutMs, { method: 'POST', json: { question: q.question, k: this.rules.k, noCache: true } });
        if (r.status !== 200) {
          out.push({ at: Date.now(), questionId: q.id, correct: null, error: `status ${r.status}` });
          continue;
        }
        const hits = (JSON.parse(r.text) as { hits: HitJson[] }).hits;
        const right = hits.some((h) => judge.supports({ docId: h.citation.doc, charStart: h.citation.charStart, charEnd: h.citation.charEnd, text: h.citation.quote }, q).length > 0);
        out.push({ at: Date.now(), questionId: q.id, correct: right ? 1 : 0 });
      } catch (error) {
        out.push({ at: Date.now(), questionId: q.id, correct: null, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return out;
  }
}

export interface AccuracyWindow {
  /** Baseline accuracy minus the window's: positive is a drop. Null without probes. */
  value: number | null;
  /** Distinct questions judged in the window (the latest probe of each). */
  samples: number;
  correct: number;
  accuracy: number | null;
  /** P(this few right | the accuracy is baseline − threshold): one-sided exact binomial test. */
  pValue: number | null;
}

/**
 * The noise rule: a question asked twice in the window counts once (its latest answer; the
 * canary repeats its questions, and a repeat is not new evidence), and a drop counts only when
 * it is also significant: the one-sided exact binomial test of "accuracy ≥ baseline − threshold"
 * rejects at the rule's alpha. So one unlucky question never fires.
 */
export function accuracyWindow(probes: readonly Probe[], since: number, baseline: number, threshold: number): AccuracyWindow {
  const latest = new Map<string, 0 | 1>();
  for (const p of probes) if (p.at >= since && p.correct !== null) latest.set(p.questionId, p.correct);
  const n = latest.size;
  if (n === 0) return { value: null, samples: 0, correct: 0, accuracy: null, pValue: null };
  let correct = 0;
  for (const c of latest.values()) correct += c;
  const accuracy = correct / n;
  const limit = Math.max(0, baseline - threshold);
  return { value: baseline - accuracy, samples: n, correct, accuracy, pValue: binomialCdf(correct, n, limit) };
}
