import { z } from 'zod';

/**
 * A suite's `tune:` block: which parameters `ragbench tune` may search, on which split, for
 * which objective. (First cut; `ragbench tune` owns this file.)
 */
export const TuneSchema = z.strictObject({
  /** The run (by name) whose parameters are searched. */
  run: z.string().min(1),
  /** Golden split the search scores on; never the split the suite reports. */
  split: z.enum(['dev']).default('dev'),
  objective: z.string().default('semanticAccuracy'),
  /** Parameter path (stage.option, e.g. "retriever.denseWeight") -> candidate values. */
  parameters: z.record(z.string(), z.array(z.unknown()).min(1)),
});
export type Tune = z.infer<typeof TuneSchema>;
