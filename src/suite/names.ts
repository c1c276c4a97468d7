import { InputError } from '../util/errors.ts';
import type { Axis } from './schema.ts';
import type { ResolvedRun } from './matrix.ts';

/** A configuration with the short name tables and charts show. */
export interface NamedRun {
  run: ResolvedRun;
  name: string;
}

const MAX_NAME = 40;
/** Retrieval first: it is what most often tells two configurations apart. */
const NAME_ORDER: readonly Axis[] = ['retriever', 'chunker', 'extractor', 'embedder', 'store'];

/** "fixed" + {maxChars: 1000} -> "fixed1000"; several options join with "-": "hybrid-convex-0.3-0.7". */
export function shortLabel(spec: { name: string } & Record<string, unknown>): string {
  const values = Object.entries(spec)
    .filter(([k]) => k !== 'name')
    .map(([, v]) => (typeof v === 'object' ? JSON.stringify(v) : String(v)));
  if (values.length === 0) return spec.name;
  if (values.length === 1 && /^[\d.]+$/.test(values[0] as string)) return `${spec.name}${values[0]}`;
  return [spec.name, ...values].join('-');
}

/**
 * Names every run: the suite's `name:` when given, else the short labels of the stages where
 * it differs from the suite's defaults, joined with "·" (`bm25·fixed1000`); the defaults
 * themselves are "default". Names are unique (a derived clash gets "#2", "#3").
 */
export function nameRuns(
  runs: readonly ResolvedRun[],
  given: readonly (string | undefined)[],
  defaults: ResolvedRun,
  file: string,
): NamedRun[] {
  const seen = new Map<string, number>();
  return runs.map((run, i) => {
    const explicit = given[i];
    let name = explicit ?? derivedName(run, defaults);
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    if (n > 1) {
      if (explicit !== undefined) throw new InputError(`${file}: runs: name "${name}" is used twice`);
      name = `${name}#${n}`;
    }
    return { run, name };
  });
}

function derivedName(run: ResolvedRun, defaults: ResolvedRun): string {
  const parts = NAME_ORDER.map((a) => [shortLabel(run[a]), shortLabel(defaults[a])] as const)
    .filter(([mine, base]) => mine !== base && mine !== 'none')
    .map(([mine]) => mine);
  const name = parts.length === 0 ? 'default' : parts.join('·');
  return name.length > MAX_NAME ? `${name.slice(0, MAX_NAME - 1)}…` : name;
}
