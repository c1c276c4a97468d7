import { isMap, isScalar, isSeq, parseDocument, type Document, type YAMLMap } from 'yaml';
import type { RunSpec } from '../suite/schema.ts';
import { InputError } from '../util/errors.ts';
import { splitParameter } from './apply.ts';
import type { Setting } from './grid.ts';

export interface TunedWrite {
  /** The run (`name:` under `runs:`) that receives the values. */
  run: string;
  settings: readonly Setting[];
  /** The run with the settings applied (applySettings): the component an axis becomes when the file names it by a string or not at all. */
  tunedSpec: RunSpec;
  /** Provenance line recorded with every value. */
  source: string;
}

function keyOf(pair: { key: unknown }): unknown {
  return isScalar(pair.key) ? pair.key.value : pair.key;
}

/**
 * The suite file's text with the chosen values set in the named run and recorded under
 * `tuned:` (parameter, value, source), through the yaml Document API so comments, key order
 * and flow/block style survive. Earlier `tuned:` entries for the same parameters are replaced;
 * entries for other parameters are kept.
 */
export function writeTunedValues(yamlText: string, file: string, w: TunedWrite): string {
  const doc = parseDocument(yamlText);
  if (doc.errors.length > 0) throw new InputError(`${file}: invalid YAML: ${doc.errors[0]?.message ?? ''}`);
  const root = doc.contents;
  if (!isMap(root)) throw new InputError(`${file}: expected a YAML map at the top level`);
  const runNode = findRunNode(root, w.run, file);
  for (const { parameter, value } of w.settings) {
    const { axis, option } = splitParameter(parameter);
    const component = runNode.get(axis, true);
    if (isMap(component)) {
      component.set(option, value);
    } else {
      // A bare name ("hybrid") or an axis taken from the defaults: write the whole component.
      runNode.set(axis, doc.createNode(w.tunedSpec[axis], { flow: true }));
    }
  }
  recordTuned(doc, root, w);
  return doc.toString();
}

function findRunNode(root: YAMLMap, name: string, file: string): YAMLMap {
  const runs = root.get('runs', true);
  if (isSeq(runs)) {
    for (const item of runs.items) {
      if (isMap(item) && item.get('name') === name) return item;
    }
  }
  throw new InputError(`${file}: runs: no run named "${name}" to write the tuned values into`);
}

function recordTuned(doc: Document, root: YAMLMap, w: TunedWrite): void {
  const tuned = new Set(w.settings.map((s) => s.parameter));
  const entries = w.settings.map((s) => ({ parameter: s.parameter, value: s.value, source: w.source }));
  const existing = root.get('tuned', true);
  if (isSeq(existing)) {
    existing.items = existing.items.filter((item) => !(isMap(item) && tuned.has(String(item.get('parameter')))));
    for (const e of entries) existing.items.push(doc.createNode(e));
    existing.flow = false; // `tuned: []` becomes a block list
    return;
  }
  if (root.has('tuned')) {
    root.set('tuned', doc.createNode(entries)); // `tuned:` with nothing under it
    return;
  }
  // A new `tuned:` goes right after `tune:`, where a reader looks for it.
  const pair = doc.createPair('tuned', entries);
  const at = root.items.findIndex((p) => keyOf(p) === 'tune');
  if (at < 0) root.items.push(pair);
  else root.items.splice(at + 1, 0, pair);
}
