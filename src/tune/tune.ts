import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { loadGoldenSet } from '../evaluate/golden.ts';
import { loadSuite } from '../suite/load.ts';
import type { ProgressSink } from '../suite/progress.ts';
import { runSuite } from '../suite/runner.ts';
import type { RunSpec, Suite } from '../suite/schema.ts';
import type { RunResult } from '../summary/schema.ts';
import { InputError } from '../util/errors.ts';
import { applySettings, findTunedRun } from './apply.ts';
import { chooseBest, withinInterval, type ScoredCandidate } from './choose.ts';
import { expandGrid, type Candidate } from './grid.ts';
import { describeProvenance, gitDescribe } from './provenance.ts';
import type { Tune } from './schema.ts';

export interface TuneOptions {
  suiteFile: string;
  /** Golden set folder; overrides the suite's `golden`. */
  golden?: string;
  /** Embedding cache (default `.cache/embeddings`). */
  cacheDir?: string;
  progress?: ProgressSink;
  /** Stop early (Ctrl-C): candidates not run are reported as failed. */
  signal?: AbortSignal;
  /** For tests: the date and commit the provenance names. */
  now?: Date;
  commit?: string | null;
}

export interface TuneResult {
  suite: Suite;
  tune: Tune;
  /** The run as the suite has it, and as the chosen values make it. */
  baseRun: RunSpec;
  tunedRun: RunSpec;
  candidates: ScoredCandidate[];
  best: ScoredCandidate;
  /** Candidates the chosen one's interval cannot tell apart from it (itself included). */
  indistinguishable: number;
  golden: { name: string; devQuestions: number; devAnswerable: number };
  provenance: string;
  seconds: number;
}

/** Latency is not what tuning optimises: the fewest timed queries the suite schema allows. */
const TUNE_LATENCY = { samples: 20, rounds: 1 };

const candidateName = (c: Candidate): string => `tune-${c.index}`;

/**
 * `ragbench tune`: runs every grid candidate of the suite's `tune:` block on the golden set's
 * dev split (one suite run, so documents are read once), and picks the best by the objective.
 * Refuses a set without a dev split: tuning on the questions a suite scores is what this
 * command exists to prevent.
 */
export async function tuneSuite(options: TuneOptions): Promise<TuneResult> {
  const started = performance.now();
  const suiteFile = resolve(options.suiteFile);
  const suite = await loadSuite(suiteFile);
  const tune = suite.tune;
  if (!tune) throw new InputError(`${suiteFile}: tune: missing; declare the run and the parameters to search (README, "Tuning")`);
  const baseRun = findTunedRun(suite, tune.run, suiteFile);
  const grid = expandGrid(tune, `${suiteFile}: tune`);

  const goldenDir = options.golden !== undefined ? resolve(options.golden) : resolve(dirname(suiteFile), suite.golden);
  const golden = await loadGoldenSet(goldenDir);
  const dev = golden.questions.filter((q) => q.split === 'dev');
  if (dev.length === 0) {
    throw new InputError(
      `${goldenDir}/questions.jsonl: no question has "split": "dev"; tuning needs a dev split the suite does not score ` +
        '(golden/README.md, "Splits"; scripts/assign-splits.ts assigns one by whole documents)',
    );
  }

  const candidateSuite: Suite = {
    name: `${suite.name} (tune ${tune.run})`,
    golden: suite.golden,
    k: suite.k,
    split: 'dev',
    tuned: [],
    latency: TUNE_LATENCY,
    defaults: suite.defaults,
    matrix: [],
    runs: grid.map((c) => ({ ...applySettings(baseRun, suite.defaults, c.settings), name: candidateName(c) })),
  };
  const workDir = await mkdtemp(join(tmpdir(), 'ragbench-tune-'));
  let runs: RunResult[];
  try {
    const run = await runSuite({
      suiteFile,
      suite: candidateSuite,
      split: 'dev',
      outDir: workDir,
      ...(options.golden !== undefined && { golden: options.golden }),
      ...(options.cacheDir !== undefined && { cacheDir: options.cacheDir }),
      ...(options.progress && { progress: options.progress }),
      ...(options.signal && { signal: options.signal }),
    });
    if (run.summary.golden.sample.split !== 'dev') {
      throw new Error(`the runner scored the ${run.summary.golden.sample.split} split, not dev`);
    }
    runs = run.summary.runs;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }

  const candidates = grid.map((c) => score(c, runs.find((r) => r.name === candidateName(c)), tune.objective));
  const best = chooseBest(candidates);
  if (!best) {
    const reasons = candidates.map((c) => `  #${c.index}: ${c.error ?? 'no score'}`).join('\n');
    throw new Error(`ragbench tune: every candidate failed:\n${reasons}`);
  }
  const devAnswerable = dev.filter((q) => q.answerable).length;
  const commit = options.commit === undefined ? await gitDescribe(dirname(suiteFile)) : (options.commit ?? undefined);
  const provenance = describeProvenance({
    golden: golden.manifest.name,
    questions: best.questions,
    run: tune.run,
    candidates: grid.length,
    objective: tune.objective,
    best,
    date: options.now ?? new Date(),
    ...(commit !== undefined && { commit }),
  });
  return {
    suite,
    tune,
    baseRun,
    tunedRun: applySettings(baseRun, suite.defaults, best.settings),
    candidates,
    best,
    indistinguishable: withinInterval(candidates, best).length,
    golden: { name: golden.manifest.name, devQuestions: dev.length, devAnswerable },
    provenance,
    seconds: (performance.now() - started) / 1000,
  };
}

/** A candidate's objective, interval and tie-break from its run's summary entry. */
export function score(c: Candidate, run: RunResult | undefined, objective: Tune['objective']): ScoredCandidate {
  const accuracy = run?.status === 'completed' ? run.accuracy : undefined;
  if (!accuracy) {
    const error = run === undefined ? 'not run' : (run.error ?? `run ${run.status}`);
    return { ...c, score: null, ndcgAt10: null, questions: 0, error };
  }
  const interval = accuracy.intervals[objective];
  return {
    ...c,
    score: accuracy[objective],
    ...(interval && { interval }),
    ndcgAt10: accuracy.ndcgAt10,
    questions: objective === 'citationAccuracy' ? accuracy.answerCitations : accuracy.questions,
  };
}
