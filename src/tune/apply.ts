import { resolveComponent } from '../suite/matrix.ts';
import { DEFAULT_RUN, type Axis, type Component, type RunSpec, type Suite } from '../suite/schema.ts';
import { InputError } from '../util/errors.ts';
import type { Setting } from './grid.ts';

/** `retriever.denseWeight` -> axis `retriever`, option `denseWeight` (the schema checked the shape). */
export function splitParameter(parameter: string): { axis: Axis; option: string } {
  const dot = parameter.indexOf('.');
  return { axis: parameter.slice(0, dot) as Axis, option: parameter.slice(dot + 1) };
}

/** The run `tune.run` names: an explicit run under `runs:` with that `name:`. */
export function findTunedRun(suite: Pick<Suite, 'runs'>, name: string, file: string): RunSpec {
  const found = suite.runs.filter((r) => r.name === name);
  if (found.length === 1) return found[0] as RunSpec;
  if (found.length > 1) throw new InputError(`${file}: tune.run: ${found.length} runs are named "${name}"; names must be unique`);
  const names = suite.runs.flatMap((r) => (r.name === undefined ? [] : [`"${r.name}"`]));
  throw new InputError(
    `${file}: tune.run: no run named "${name}" under runs: (named runs: ${names.length ? names.join(', ') : 'none'}); ` +
      'give the run to tune a `name:` in the `runs:` list (matrix configurations have no names)',
  );
}

/**
 * The run with the settings applied: each touched axis becomes `{ name, ...options }` (from
 * the run, else the suite defaults, else the built-in default) with the option set.
 */
export function applySettings(spec: RunSpec, defaults: RunSpec, settings: readonly Setting[]): RunSpec {
  const out: RunSpec = { ...spec };
  for (const { parameter, value } of settings) {
    const { axis, option } = splitParameter(parameter);
    const base: Component = out[axis] ?? defaults[axis] ?? DEFAULT_RUN[axis];
    out[axis] = { ...resolveComponent(base), [option]: value };
  }
  return out;
}

/** The value a run now has for a parameter (undefined when the component does not set it). */
export function currentValue(spec: RunSpec, defaults: RunSpec, parameter: string): unknown {
  const { axis, option } = splitParameter(parameter);
  return resolveComponent(spec[axis] ?? defaults[axis] ?? DEFAULT_RUN[axis])[option];
}
