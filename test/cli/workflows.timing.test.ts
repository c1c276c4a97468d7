import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { SummarySchema, type Summary } from '../../src/summary/schema.ts';

/**
 * The CI workflows' gate steps, run as CI runs them (bash -eo pipefail, the job's env), on
 * real summaries of `ragbench run` over test/fixtures/golden-mini with BM25 (fast): a healthy
 * candidate gated against an earlier run of the same code (A/A) must pass; an accuracy or a
 * latency regression derived from it must fail.
 */

const exec = promisify(execFile);
const REPO = resolve('.');

interface Step {
  name?: string;
  id?: string;
  run?: string;
  shell?: string;
}
interface Workflow {
  env?: Record<string, string>;
  jobs: Record<string, { env?: Record<string, string>; steps?: Step[] }>;
}

/** The steps of a workflow whose script runs `ragbench gate`, with their job's env. */
async function gateSteps(file: string): Promise<{ script: string; env: Record<string, string> }[]> {
  const wf = parseYaml(await readFile(join(REPO, '.github/workflows', file), 'utf8')) as Workflow;
  return Object.values(wf.jobs).flatMap((job) =>
    (job.steps ?? [])
      .filter((s): s is Step & { run: string } => typeof s.run === 'string' && /bin\/ragbench\.js gate\b/.test(s.run))
      .map((s) => ({ script: s.run, env: { ...wf.env, ...job.env } })),
  );
}

let root: string;
let healthy: Summary;
let previous: Summary;

const SUITE = [
  'name: ci',
  `golden: ${join(REPO, 'test/fixtures/golden-mini')}`,
  'k: 3',
  // BM25 answers in ~0.05 ms with rare multi-ms outliers: 300 samples put ~15 values above the p95.
  'latency: { samples: 300, rounds: 3 }',
  'candidate: bm25',
  'runs:',
  '  - { name: bm25, extractor: mupdf, chunker: sentence, retriever: bm25 }',
  'thresholds:',
  '  accuracy.semanticAccuracy: ">= 0.80"',
].join('\n');

async function ragbenchRun(out: string): Promise<Summary> {
  await exec(process.execPath, ['bin/ragbench.js', 'run', 'suites/ci.yml', '--out', out, '--cache', 'cache'], { cwd: root, maxBuffer: 1 << 24 });
  return SummarySchema.parse(JSON.parse(await readFile(join(root, out, 'latest', 'summary.json'), 'utf8')));
}

/** Lays out what the CI step sees (the candidate in reports/latest, the baseline in baseline/) and runs the step. */
async function runStep(step: { script: string; env: Record<string, string> }, candidate: Summary, baseline?: Summary) {
  await rm(join(root, 'reports'), { recursive: true, force: true });
  await rm(join(root, 'baseline'), { recursive: true, force: true });
  await mkdir(join(root, 'reports', 'latest'), { recursive: true });
  await writeFile(join(root, 'reports', 'latest', 'summary.json'), JSON.stringify(candidate));
  if (baseline) {
    await mkdir(join(root, 'baseline'));
    await writeFile(join(root, 'baseline', 'summary.json'), JSON.stringify(baseline));
  }
  const env = { ...process.env, ...step.env, GITHUB_STEP_SUMMARY: join(root, 'step-summary.md') };
  try {
    const r = await exec('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.script], { cwd: root, env, maxBuffer: 1 << 24 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The same summary with the candidate's answers broken on every answerable question. */
function accuracyRegression(s: Summary): Summary {
  const copy = structuredClone(s);
  for (const run of copy.runs) {
    const pq = run.perQuestion;
    if (!pq?.semanticAccuracy || !run.accuracy) continue;
    pq.semanticAccuracy = pq.semanticAccuracy.map((v) => (v === null ? null : 0));
    run.accuracy.semanticAccuracy = 0;
  }
  return copy;
}

/** The same summary with every timed query 3 times as slow, on an unchanged machine (calibration as measured). */
function latencyRegression(s: Summary): Summary {
  const copy = structuredClone(s);
  for (const run of copy.runs) {
    const l = run.latency;
    if (!l?.samplesMs) continue;
    l.samplesMs = l.samplesMs.map((x) => x * 3);
    for (const k of ['p50Ms', 'p95Ms', 'p99Ms', 'maxMs', 'meanMs'] as const) l[k] *= 3;
  }
  return copy;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ragbench-workflows-'));
  // The checkout as CI has it: bin/ (the real CLI) and the suite the summaries name.
  await symlink(join(REPO, 'bin'), join(root, 'bin'));
  await mkdir(join(root, 'suites'));
  await writeFile(join(root, 'suites', 'ci.yml'), SUITE);
  // A suite whose target the candidate cannot meet (p95 under a microsecond).
  await writeFile(join(root, 'suites', 'strict.yml'), SUITE.replace('thresholds:', 'thresholds:\n  latency.p95Ms: "< 0.001"'));
  // Two runs of the same code, one after the other: last night and tonight.
  previous = await ragbenchRun('runs-a');
  healthy = await ragbenchRun('runs-b');
}, 300_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe.each([
  ['nightly.yml', 'nightly'],
  ['predeploy-gate.yml', 'predeploy'],
])('%s: its gate command on real summaries', (file, mode) => {
  let step: { script: string; env: Record<string, string> };

  beforeAll(async () => {
    const steps = await gateSteps(file);
    expect(steps).toHaveLength(1);
    step = steps[0] as typeof step;
    expect(step.script).toContain(`--mode ${mode}`);
    expect(step.script).not.toContain('--thresholds suites/');
  });

  it('the summaries are real runs with per-question outcomes, timed samples and a calibration', () => {
    for (const s of [previous, healthy]) {
      const run = s.runs[0];
      expect(run?.status).toBe('completed');
      expect(run?.perQuestion?.semanticAccuracy).toHaveLength(s.golden.sample.ids.length);
      expect(run?.latency?.samplesMs?.length).toBe(300);
      // Before each of the 3 rounds, and 4 times within each of its 100 queries.
      expect(run?.latency?.calibration?.samplesMs.length).toBe(15);
    }
  });

  it('a healthy candidate against the previous run of the same code (A/A) exits 0', async () => {
    const r = await runStep(step, healthy, previous);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(new RegExp(`^GO: .*${mode === 'nightly' ? ' \\[nightly\\]' : ' \\[predeploy\\]'}$`, 'm'));
    expect(r.code).toBe(0);
  });

  it('a candidate with no baseline yet is judged on its targets alone: exit 0', async () => {
    const r = await runStep(step, healthy);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('baseline');
  });

  it(`a missed production target ${mode === 'nightly' ? 'is a warning at night: exit 0' : 'blocks the deploy: exit 1'}`, async () => {
    const missing = { ...structuredClone(healthy), suite: { ...healthy.suite, file: 'suites/strict.yml' } };
    const r = await runStep(step, missing, previous);
    expect(r.stdout).toMatch(new RegExp(`${mode === 'nightly' ? 'warn' : 'FAIL'} +\\S+ +latency\\.p95Ms < 0\\.001`));
    expect(r.code).toBe(mode === 'nightly' ? 0 : 1);
  });

  it('an accuracy regression exits 1 with a rollback trigger naming the test', async () => {
    const r = await runStep(step, accuracyRegression(healthy), previous);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/accuracy\.semanticAccuracy regressed on run "[^"]+": 0\.000 vs baseline 1\.000 .* p = [\d.e-]+ \(exact McNemar \(b = \d+/);
  });

  it('a latency regression (3x slower, same machine) exits 1 with a calibrated trigger', async () => {
    const r = await runStep(step, latencyRegression(healthy), previous);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/latency\.p95Ms regressed on run "[^"]+": .* calibrated ratio \(machine factor \d\.\d{3} from "ragbench-reference\/1[^"]*"\) \d+\.\d{3}, 95% interval \[/);
  });
});
