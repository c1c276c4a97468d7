import { join } from 'node:path';
import type { CacheRun, LoadRun, LoadStep } from '../summary/schema.ts';
import type { ServiceConfig } from '../serve/config.ts';
import type { ResolvedRun } from '../suite/matrix.ts';
import type { ProgressSink } from '../suite/progress.ts';
import type { StepTarget } from './drive.ts';
import { planQuestions, questionSource, requestBound, type QuestionPlan } from './mixes.ts';
import { writeServiceConfig } from './service-config.ts';
import { ServiceProcess } from './service-process.ts';
import type { LoadSettings, Mix } from './settings.ts';
import { soak } from './soak.ts';
import { runStep, type StepPlan } from './step.ts';

export interface LoadContext {
  settings: LoadSettings;
  /** Golden questions the mixes draw from. */
  questions: readonly string[];
  /** The golden set's PDFs: what the service ingests. */
  documents: readonly string[];
  cacheDir: string;
  /** Where the service's config and log are written (the run's report folder). */
  dir: string;
  run: { name: string; pipeline: ResolvedRun };
  base: Pick<ServiceConfig, 'server' | 'cache' | 'query'>;
  progress: ProgressSink;
  signal?: AbortSignal;
}

export interface LoadResult {
  load: LoadRun;
  cache?: CacheRun;
}

/** A file-name-safe form of a run name ("bm25·fixed1000" -> "bm25-fixed1000"). */
const slug = (name: string): string => name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'run';

const QUERY_PATH = '/query';

/** Steps in the order they run: per concurrency, /health, then every mix (hits, zipf, unique as listed). */
function planSteps(settings: LoadSettings, plan: QuestionPlan, signal: AbortSignal | undefined): StepPlan[] {
  const steps: StepPlan[] = [];
  const fast = settings.stepSeconds * settings.fastStepShare;
  let seed = settings.zipf.seed;
  const common = { timeoutSeconds: settings.timeoutSeconds, keepSamples: settings.keepSamples, ...(signal && { signal }) };
  for (const [i, concurrency] of [...settings.concurrency].sort((a, b) => a - b).entries()) {
    steps.push({ mix: 'health', concurrency, target: { method: 'GET', path: '/health' }, seconds: fast, maxRequests: settings.stepRequests, seed: ++seed, ...common });
    for (const mix of settings.mixes) {
      const target: StepTarget = { method: 'POST', path: QUERY_PATH, question: questionSource(mix, plan, settings, i, ++seed) };
      const seconds = mix === 'hits' ? fast : mix === 'zipf' ? settings.zipf.maxSeconds : settings.stepSeconds;
      const maxRequests = mix === 'zipf' ? settings.zipf.requests : requestBound(mix, plan, settings, i);
      steps.push({ mix, concurrency, target, seconds, maxRequests, seed, ...common });
    }
  }
  return steps;
}

/** Fills the cache: every hits question once, then zipf load, both untimed. */
async function warmUp(service: ServiceProcess, ctx: LoadContext, plan: QuestionPlan): Promise<void> {
  const { settings } = ctx;
  const base = { timeoutSeconds: settings.timeoutSeconds, keepSamples: 1, seed: settings.zipf.seed };
  await runStep(service, { mix: 'hits', concurrency: 1, target: { method: 'POST', path: QUERY_PATH, question: questionSource('hits', plan, settings, 0, base.seed) }, seconds: 600, maxRequests: plan.hits.length, ...base });
  if (settings.warmupRequests > 0) {
    const question = questionSource('zipf', plan, settings, 0, base.seed - 1);
    const concurrency = Math.min(8, Math.max(...settings.concurrency));
    await runStep(service, { mix: 'zipf', concurrency, target: { method: 'POST', path: QUERY_PATH, question }, seconds: settings.warmupSeconds, maxRequests: settings.warmupRequests, ...base });
  }
}

const find = (steps: readonly LoadStep[], mix: Mix | 'health', concurrency: number): LoadStep | undefined =>
  steps.find((s) => s.mix === mix && s.concurrency === concurrency);

/** The stage with the largest server-side p50 at a step: what bounds a computed query. */
function boundingStage(step: LoadStep): string | null {
  const stages = step.server?.stageP50Ms;
  if (!stages) return null;
  const named = Object.entries(stages).filter((e): e is [string, number] => e[1] !== null);
  if (named.length === 0) return null;
  const [name, ms] = named.reduce((a, b) => (b[1] > a[1] ? b : a));
  const total = named.reduce((a, [, v]) => a + v, 0);
  return `${name} (p50 ${ms.toFixed(1)} ms of ${total.toFixed(1)} ms per computed query; server CPU ${step.server?.cpuCores.toFixed(2)} cores)`;
}

/**
 * Serves one run with `ragbench serve` in a child process and loads it step by step with
 * autocannon over loopback; stops the service afterwards, whatever happens.
 */
export async function measureLoad(ctx: LoadContext): Promise<LoadResult> {
  const { settings } = ctx;
  const plan = planQuestions(ctx.questions, settings);
  const folder = join(ctx.dir, `load-${slug(ctx.run.name)}`);
  const configFile = join(folder, 'service.yml');
  await writeServiceConfig(configFile, { pipeline: ctx.run.pipeline, documents: ctx.documents, cacheDir: ctx.cacheDir, embedWorkers: settings.embedWorkers, base: ctx.base });
  const service = new ServiceProcess({ configFile, logFile: join(folder, 'service.log') });
  const steps: LoadStep[] = [];
  const samples = new Map<LoadStep, number[]>();
  let soaked: LoadRun['soak'] = null;
  try {
    ctx.progress.note(`${ctx.run.name}: starting ragbench serve for the load steps`);
    await service.start();
    ctx.signal?.throwIfAborted();
    await warmUp(service, ctx, plan);
    const planned = planSteps(settings, plan, ctx.signal);
    const task = ctx.progress.start(`${ctx.run.name} load`, planned.length + (settings.soak ? 1 : 0));
    for (const [i, p] of planned.entries()) {
      ctx.signal?.throwIfAborted();
      const { step, samplesMs } = await runStep(service, p);
      ctx.signal?.throwIfAborted(); // a step cut short by Ctrl-C is not a measurement
      steps.push(step);
      samples.set(step, samplesMs);
      task.update(i + 1);
    }
    if (settings.soak) {
      ctx.signal?.throwIfAborted();
      const s = settings.soak;
      const target: StepTarget = { method: 'POST', path: QUERY_PATH, question: questionSource(s.mix, plan, settings, plan.unique.length - 1, settings.zipf.seed + 7) };
      soaked = await soak(service, { ...s, target, timeoutSeconds: settings.timeoutSeconds, seed: settings.zipf.seed, ...(ctx.signal && { signal: ctx.signal }) });
      ctx.signal?.throwIfAborted();
      task.update(planned.length + 1);
    }
    task.stop();
  } finally {
    await service.stop();
  }
  for (const s of steps) {
    const health = find(steps, 'health', s.concurrency);
    if (s.mix !== 'health' && health && health.rps > 0) s.ceilingRatio = Math.round((s.rps / health.rps) * 1000) / 1000;
  }
  return summarize(ctx, steps, samples, soaked, service, configFile, plan);
}

function summarize(
  ctx: LoadContext,
  steps: LoadStep[],
  samples: Map<LoadStep, number[]>,
  soaked: LoadRun['soak'],
  service: ServiceProcess,
  configFile: string,
  plan: QuestionPlan,
): LoadResult {
  const { settings } = ctx;
  const gate = settings.gateAt;
  const gated = find(steps, 'zipf', gate) ?? steps.find((s) => s.mix !== 'health' && s.concurrency === gate);
  if (!gated) throw new Error(`load: no query step ran at the gated concurrency ${gate}`);
  const failures = gated.errors + gated.timeouts + gated.non2xx;
  const healthAtGate = find(steps, 'health', gate);
  const unique = steps.filter((s) => s.mix === 'unique');
  const saturated = unique.length > 0 ? unique.reduce((a, b) => (b.rps > a.rps ? b : a)) : undefined;
  const load: LoadRun = {
    version: 1,
    gateAt: gate,
    p50Ms: gated.latencyMs.p50Ms,
    p95Ms: gated.latencyMs.p95Ms,
    p99Ms: gated.latencyMs.p99Ms,
    rps: gated.rps,
    errorRate: gated.requests > 0 ? failures / gated.requests : 0,
    ceilingRatio: gated.ceilingRatio,
    samplesMs: samples.get(gated) ?? [],
    ...(healthAtGate && { calibration: { workload: `GET /health at ${gate} connections`, samplesMs: samples.get(healthAtGate) ?? [] } }),
    healthCeilingRps: Math.max(0, ...steps.filter((s) => s.mix === 'health').map((s) => s.rps)),
    saturation: saturated ? { rps: saturated.rps, concurrency: saturated.concurrency, boundBy: boundingStage(saturated) } : null,
    steps,
    soak: soaked,
    service: { configFile, readySeconds: Math.round(service.readySeconds * 10) / 10, maxConcurrentQueries: ctx.base.server.maxConcurrentQueries, cacheMaxBytes: ctx.base.cache.maxBytes, embedWorkers: settings.embedWorkers },
    zipf: { exponent: settings.zipf.exponent, questions: plan.zipf.length, seed: settings.zipf.seed },
  };
  const hits = find(steps, 'hits', gate);
  const zipf = find(steps, 'zipf', gate);
  const miss = find(steps, 'unique', gate);
  if (!hits) return { load };
  const cache: CacheRun = {
    version: 1,
    gateAt: gate,
    hitRatio: zipf?.server?.hitRatio ?? null,
    hitP50Ms: hits.latencyMs.p50Ms,
    hitP95Ms: hits.latencyMs.p95Ms,
    hitP99Ms: hits.latencyMs.p99Ms,
    hitRps: hits.rps,
    hitSamplesMs: samples.get(hits) ?? [],
    missP50Ms: miss ? miss.latencyMs.p50Ms : null,
    missP95Ms: miss ? miss.latencyMs.p95Ms : null,
  };
  return { load, cache };
}
