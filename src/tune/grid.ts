import { InputError } from '../util/errors.ts';
import { MAX_CANDIDATES, PARAMETER_PATH, type Tune, type TuneValue } from './schema.ts';

/** One parameter set to one value. */
export interface Setting {
  /** `<axis>.<option>`, e.g. `retriever.denseWeight`. */
  parameter: string;
  value: TuneValue;
}

/** One point of the grid: its settings in the order the suite declares the parameters. */
export interface Candidate {
  /** 1-based, in grid order (the first declared value varies slowest). */
  index: number;
  settings: Setting[];
}

/** The values of one `parameters` entry, each as the settings it makes. */
function choices(key: string, values: Tune['parameters'][string]): Setting[][] {
  if (PARAMETER_PATH.test(key)) return values.map((value) => [{ parameter: key, value: value as TuneValue }]);
  // A group: each value is a map of parameter paths set together (the schema checked them).
  return values.map((group) => Object.entries(group as Record<string, TuneValue>).map(([parameter, value]) => ({ parameter, value })));
}

/**
 * The cartesian product of the declared parameters, in declaration order: the first entry's
 * first value comes first, so a suite that lists simpler values first prefers them on ties.
 */
export function expandGrid(tune: Pick<Tune, 'parameters'>, where = 'tune'): Candidate[] {
  let points: Setting[][] = [[]];
  for (const [key, values] of Object.entries(tune.parameters)) {
    const options = choices(key, values);
    points = points.flatMap((p) => options.map((o) => [...p, ...o]));
    if (points.length > MAX_CANDIDATES) {
      throw new InputError(`${where}: parameters: the grid has more than ${MAX_CANDIDATES} candidates; each is a full run on the dev split, so search fewer values`);
    }
  }
  return points.map((settings, i) => ({ index: i + 1, settings }));
}

/** "retriever.denseWeight=0.3, chunker.n=5" */
export function describeSettings(settings: readonly Setting[]): string {
  return settings.map((s) => `${s.parameter}=${String(s.value)}`).join(', ');
}
