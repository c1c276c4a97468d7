import { nameRuns, type NamedRun } from './names.ts';
import { AXES, DEFAULT_RUN, type Axis, type Component, type MatrixBlock, type RunSpec, type Suite } from './schema.ts';

/** A fully specified configuration: every axis resolved to { name, ...options }. */
export type ResolvedRun = Record<Axis, { name: string } & Record<string, unknown>>;

export function resolveComponent(c: Component): { name: string } & Record<string, unknown> {
  return typeof c === 'string' ? { name: c } : { ...c };
}

export function resolveRun(spec: RunSpec, defaults: RunSpec): ResolvedRun {
  const out = {} as ResolvedRun;
  for (const axis of AXES) out[axis] = resolveComponent(spec[axis] ?? defaults[axis] ?? DEFAULT_RUN[axis]);
  if (out.retriever.name === 'bm25' && out.chunker.name !== 'semantic') {
    // BM25 uses neither embedder nor store (a semantic chunker still embeds).
    out.embedder = { name: 'none' };
    out.store = { name: 'none' };
  } else if (out.retriever.name === 'bm25') {
    out.store = { name: 'none' };
  }
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
export function expandSuite(suite: Suite, file = 'suite'): NamedRun[] {
  const specs = [...suite.matrix.flatMap(expandBlock), ...suite.runs];
  const seen = new Map<string, number>();
  const runs: ResolvedRun[] = [];
  const given: (string | undefined)[] = [];
  for (const spec of specs) {
    const run = resolveRun(spec, suite.defaults);
    const key = runKey(run);
    const at = seen.get(key);
    if (at !== undefined) {
      // A named explicit run may repeat a matrix configuration: it names that one.
      if (spec.name !== undefined) given[at] = spec.name;
      continue;
    }
    seen.set(key, runs.length);
    runs.push(run);
    given.push(spec.name);
  }
  return nameRuns(runs, given, resolveRun({}, suite.defaults), file);
}
