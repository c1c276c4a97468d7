import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ScoredCandidate } from './choose.ts';

export interface ProvenanceFacts {
  golden: string;
  /** Dev questions the objective was computed on (answer citations for citationAccuracy). */
  questions: number;
  run: string;
  candidates: number;
  objective: string;
  best: Pick<ScoredCandidate, 'score' | 'interval'>;
  date: Date;
  /** `git describe --always --dirty`, when the suite is in a git checkout. */
  commit?: string;
}

const fmt = (x: number): string => x.toFixed(3);

/**
 * One line saying where a tuned value came from, written into the suite's `tuned:` and shown
 * by the report: "ragbench tune on squad-dev-v2 dev split, 715 answerable questions, ...".
 */
export function describeProvenance(f: ProvenanceFacts): string {
  const score = f.best.score === null ? 'n/a' : fmt(f.best.score);
  const interval = f.best.interval ? ` [${fmt(f.best.interval.low)}, ${fmt(f.best.interval.high)}]` : '';
  const parts = [
    `ragbench tune on ${f.golden} dev split`,
    `${f.questions} ${f.objective === 'citationAccuracy' ? 'answer citations' : 'answerable questions'}`,
    `objective ${f.objective} ${score}${interval}`,
    `best of ${f.candidates} candidates for run ${f.run}`,
    f.date.toISOString().slice(0, 10),
  ];
  if (f.commit !== undefined) parts.push(`commit ${f.commit}`);
  return parts.join(', ');
}

/** The checkout's commit (`-dirty` when it has uncommitted changes); undefined outside git. */
export async function gitDescribe(cwd: string): Promise<string | undefined> {
  try {
    const { stdout } = await promisify(execFile)('git', ['describe', '--always', '--dirty'], { cwd, timeout: 10_000 });
    const described = stdout.trim();
    return described.length > 0 ? described : undefined;
  } catch {
    return undefined;
  }
}
