import { AXES, DEFAULT_RUN, type Axis, type Component, type MatrixBlock, type RunSpec, type Suite } from './schema.ts';

/** A fully specified configuration: every axis resolved to { name, ...options }. */
export type ResolvedRun = Record<Axis, { name: string } & Record<string, unknown>>;

export function resolveComponent(c: Component): { name: string } & Record<string, unknown> {
  return typeof c === 'string' ? { name: c } : { ...c };
}

function resolveRun(spec: RunSpec, defaults: RunSpec): ResolvedRun {
  const out = {} as ResolvedRun;
  for (const axis of AXES) out[axis] = resolveComponent(spec[axis] ?? defaults[axis] ?? DEFAULT_RUN[axis]);
  return out;
}

function expandBlock(block: MatrixBlock): RunSpec[] {
  let specs: RunSpec[] = [{}];
  for (const axis of AXES) {
    const values = block[axis];
    if (!values) continue;
    specs = specs.flatMap((s) => values.map((v) => ({ ...s, [axis]: v })));
  }
  return specs;
}

/** Stable key of a resolved run, to drop duplicates that several matrix blocks produce. */
function runKey(run: ResolvedRun): string {
  const sorted = (o: Record<string, unknown>): string =>
    JSON.stringify(Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1))));
  return AXES.map((a) => sorted(run[a])).join('|');
}

/**
 * Expands the suite into a flat, de-duplicated list of configurations (matrix blocks first,
 * then explicit runs), before anything runs — as promptfoo expands its test matrix.
 * BM25 uses neither embedder nor store, so those axes are dropped for it.
 */
export function expandSuite(suite: Suite): ResolvedRun[] {
  const specs = [...suite.matrix.flatMap(expandBlock), ...suite.runs];
  const seen = new Set<string>();
  const runs: ResolvedRun[] = [];
  for (const spec of specs) {
    const run = resolveRun(spec, suite.defaults);
    if (run.retriever.name === 'bm25') {
      run.embedder = { name: 'none' };
      run.store = { name: 'none' };
    }
    const key = runKey(run);
    if (seen.has(key)) continue;
    seen.add(key);
    runs.push(run);
  }
  return runs;
}
