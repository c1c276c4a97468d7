import { countShortAnswers } from '../evaluate/answers.ts';
import type { GoldenQuestion } from '../evaluate/golden.ts';
import type { NamedRun } from '../suite/names.ts';
import type { QuestionSelection } from '../suite/sample.ts';
import type { Suite } from '../suite/schema.ts';
import type { GoldenSample, ShardRecord } from '../summary/schema.ts';
import { InputError } from '../util/errors.ts';
import { passageGroupCount, questionShare } from './questions.ts';
import { shardLabel, type ShardSpec } from './spec.ts';

/** What one shard of a suite runs. */
export interface SuiteShare {
  runs: NamedRun[];
  questions: GoldenQuestion[];
  sample: GoldenSample;
  /** summary.json `shard`. */
  record: ShardRecord;
  /** Suite-level work done once (migration, extraction): on shard 1 only. */
  suiteLevel: boolean;
}

/**
 * The share of a suite that `--shard i/n` runs. With several configurations: those whose
 * position in the expanded order is i-1 mod n (the order depends on the suite alone, so every
 * machine agrees). With one: every question, split by passage group and document
 * (./questions.ts); golden.sample then holds this shard's questions and the record the whole sample.
 */
export function shareOfSuite(file: string, suite: Suite, runs: readonly NamedRun[], whole: QuestionSelection, spec: ShardSpec): SuiteShare {
  const where = `${file}: --shard ${shardLabel(spec)}`;
  const base = { index: spec.index, count: spec.count, totalConfigurations: runs.length, ...(suite.faultFree !== undefined && { faultFree: suite.faultFree }) };
  const suiteLevel = spec.index === 1;
  if (runs.length > 1) {
    if (spec.count > runs.length) {
      throw new InputError(`${where}: the suite has ${runs.length} configurations, so at most ${runs.length} shards (one configuration each); use --shard i/${runs.length} or fewer`);
    }
    const positions = runs.map((_, i) => i).filter((i) => i % spec.count === spec.index - 1);
    return {
      runs: positions.map((i) => runs[i] as NamedRun),
      questions: whole.questions,
      sample: whole.sample,
      record: { ...base, by: 'configurations', configurations: positions },
      suiteLevel,
    };
  }
  refuseQuestionSplit(where, suite, runs);
  const groups = passageGroupCount(whole.questions);
  if (spec.count > groups) {
    throw new InputError(`${where}: a suite of one configuration is split by question, and its ${whole.questions.length} questions form ${groups} groups sharing evidence passages; use at most ${groups} shards`);
  }
  const positions = questionShare(whole.questions, spec.index, spec.count);
  const questions = positions.map((i) => whole.questions[i] as GoldenQuestion);
  const answerable = questions.filter((q) => q.answerable).length;
  return {
    runs: [...runs],
    questions,
    sample: {
      ...whole.sample,
      size: questions.length,
      answerable,
      unanswerable: questions.length - answerable,
      shortAnswers: countShortAnswers(questions),
      ids: questions.map((q) => q.id),
    },
    record: { ...base, by: 'questions', configurations: runs.map((_, i) => i), sample: whole.sample },
    suiteLevel,
  };
}

/** Figures that are one aggregate over every query of a run (no per-question record) cannot be joined from parts. */
function refuseQuestionSplit(where: string, suite: Suite, runs: readonly NamedRun[]): void {
  if (suite.backends) {
    throw new InputError(`${where}: backends: measures the store over one sample of questions as a whole, which does not split by question; run this suite unsharded`);
  }
  if (runs.some((r) => r.run.store.name === 'consensus')) {
    throw new InputError(`${where}: a consensus run's agreement and per-backend figures are aggregates over all its queries and do not merge; run this suite unsharded`);
  }
}
