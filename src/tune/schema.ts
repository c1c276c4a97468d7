import { z } from 'zod';

/**
 * A suite's `tune:` block: which parameters `ragbench tune` searches, for which run, on which
 * split, for which objective. The grid is the cartesian product of `parameters`.
 *
 * ```yaml
 * tune:
 *   run: hybrid                      # a run under `runs:` with this `name:`
 *   objective: semanticAccuracy      # ties: nDCG@10, then the earlier candidate
 *   parameters:
 *     chunker.n: [3, 5]              # a parameter path and its values
 *     fusion weights:                # a group: values set together (any label)
 *       - { retriever.denseWeight: 0.3, retriever.bm25Weight: 0.7 }
 *       - { retriever.denseWeight: 0.5, retriever.bm25Weight: 0.5 }
 * ```
 */

/** The suite axes (src/suite/schema.ts AXES; repeated here because that file imports this one). */
export const TUNABLE_AXES = ['extractor', 'chunker', 'retriever', 'embedder', 'store'] as const;

/** `<axis>.<option>`, e.g. `retriever.denseWeight`, `chunker.size`, `store.efSearch`. */
export const PARAMETER_PATH = new RegExp(`^(${TUNABLE_AXES.join('|')})\\.[A-Za-z_][A-Za-z0-9_]*$`);

/** Accuracy metrics a tuning may maximise (all "higher is better", all in summary.json `accuracy`). */
export const OBJECTIVES = [
  'semanticAccuracy',
  'citationAccuracy',
  'citationFaithfulness',
  'hitAt1',
  'recallAt5',
  'recallAt10',
  'mrrAt10',
  'ndcgAt10',
] as const;
export type Objective = (typeof OBJECTIVES)[number];

/** Grids larger than this are almost certainly a typo (each candidate is a full run on the dev split). */
export const MAX_CANDIDATES = 200;

const scalar = z.union([z.number(), z.string(), z.boolean()]);
export type TuneValue = z.infer<typeof scalar>;

const groupValue = z.record(z.string(), scalar);

const pathHint = 'expected a parameter path "<axis>.<option>" (axis: extractor, chunker, retriever, embedder, store), e.g. "retriever.denseWeight"';

export const TuneSchema = z
  .strictObject({
    /** The run (its `name:` under `runs:`) whose parameters are searched; `--write` sets the chosen values in it. */
    run: z.string().min(1),
    /** Golden split the search scores on: always `dev`, never the split the suite reports. */
    split: z.literal('dev').default('dev'),
    objective: z.enum(OBJECTIVES).default('semanticAccuracy'),
    /**
     * Parameter path -> values, or group label -> list of { path: value } maps set together
     * (e.g. convex weights that sum to 1). The grid is the product of the entries.
     */
    parameters: z.record(z.string().min(1), z.array(z.union([scalar, groupValue])).min(1)),
  })
  .superRefine((tune, ctx) => {
    const seenPaths = new Set<string>();
    const claim = (path: string, where: (string | number)[]): void => {
      if (seenPaths.has(path)) ctx.addIssue({ code: 'custom', path: where, message: `"${path}" is searched twice; list it once` });
      seenPaths.add(path);
    };
    for (const [key, values] of Object.entries(tune.parameters)) {
      const where = ['parameters', key];
      if (PARAMETER_PATH.test(key)) {
        claim(key, where);
        values.forEach((v, i) => {
          if (typeof v === 'object') ctx.addIssue({ code: 'custom', path: [...where, i], message: `"${key}" is a parameter path: its values must be numbers, strings or booleans` });
        });
        continue;
      }
      // A group: every value a map over the same parameter paths.
      const first = values[0];
      if (typeof first !== 'object') {
        ctx.addIssue({ code: 'custom', path: where, message: `${pathHint}, or a group label whose values are maps of parameter paths` });
        continue;
      }
      const keys = Object.keys(first).sort();
      if (keys.length === 0) ctx.addIssue({ code: 'custom', path: [...where, 0], message: 'a group value must set at least one parameter' });
      for (const k of keys) {
        if (PARAMETER_PATH.test(k)) claim(k, [...where, 0, k]);
        else ctx.addIssue({ code: 'custom', path: [...where, 0, k], message: pathHint });
      }
      values.forEach((v, i) => {
        if (typeof v !== 'object') {
          ctx.addIssue({ code: 'custom', path: [...where, i], message: 'a group value must be a map of parameter paths to values' });
        } else if (Object.keys(v).sort().join('\n') !== keys.join('\n')) {
          ctx.addIssue({ code: 'custom', path: [...where, i], message: `every value of a group must set the same parameters (${keys.join(', ')})` });
        }
      });
    }
  });
export type Tune = z.infer<typeof TuneSchema>;
