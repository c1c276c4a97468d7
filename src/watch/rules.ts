/**
 * The rollback rules file (config/rollback.yml): triggers over windowed service metrics, the
 * canary probe, and the rollback action. Checked with zod; an error names the file and the field.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { describeZodIssues, InputError } from '../util/errors.ts';
import { parseYamlText, readYamlText } from '../util/yaml-file.ts';
import { WATCH_METRICS } from './schema.ts';

const TriggerSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, _ . - only'),
  metric: z.enum(WATCH_METRICS),
  /** Fires when the windowed value is above (latency, errors, accuracy drop) or below (agreement, hit ratio) the threshold. */
  comparison: z.enum(['above', 'below']),
  threshold: z.number().min(0),
  /** Sliding window, seconds: the scrapes must span at least this long before the rule judges. */
  windowSeconds: z.number().positive(),
  /** Observations the window needs (requests, cache lookups, distinct canary questions, consensus queries). */
  minSamples: z.int().min(1),
  /** Polls in a row in breach before it fires (default: the file's `consecutive`). */
  consecutive: z.int().min(1).optional(),
  /** accuracy_drop: significance of the one-sided binomial test (default 0.05). */
  alpha: z.number().gt(0).lt(1).optional(),
});

const BaselineSchema = z.union([
  z.strictObject({ accuracy: z.number().min(0).max(1) }),
  /** A summary.json (relative to the rules file) and the run whose semanticAccuracy is the baseline (default: the suite's candidate). */
  z.strictObject({ summary: z.string().min(1), run: z.string().min(1).optional() }),
]);

const CanarySchema = z.strictObject({
  /** A golden set folder (relative to the rules file): the questions asked and their known answers. */
  golden: z.string().min(1),
  split: z.enum(['dev', 'test']).optional(),
  /** How many answerable questions form the canary set (the first ones in the file's order, of the split). */
  questions: z.int().min(1).default(20),
  /** Questions asked per poll, in turn through the set. */
  perPoll: z.int().min(1).default(2),
  k: z.int().min(1).max(100).default(5),
  baseline: BaselineSchema,
});

const ActionSchema = z
  .strictObject({
    /** argv, run without a shell; relative paths resolve against the working directory. */
    command: z.array(z.string().min(1)).min(1).optional(),
    timeoutSeconds: z.number().positive().default(300),
    webhook: z.strictObject({ url: z.url({ protocol: /^https?$/ }), timeoutMs: z.number().positive().default(10_000) }).optional(),
  })
  .refine((a) => a.command !== undefined || a.webhook !== undefined, { message: 'needs a command, a webhook, or both' });

export const RulesSchema = z.strictObject({
  version: z.literal(1),
  /** Seconds between polls (the plan: 30). */
  pollSeconds: z.number().positive().default(30),
  /** Default polls in a row in breach before a trigger fires. */
  consecutive: z.int().min(1).default(2),
  /** After a rollback, no trigger fires again for this long (when the watcher keeps watching). */
  cooldownSeconds: z.number().min(0).default(600),
  service: z
    .strictObject({
      /** Every request to the service gives up after this. */
      timeoutMs: z.number().positive().default(5000),
      /** Unreachable longer than this: the watcher stops with exit 3. */
      maxUnreachableSeconds: z.number().min(0).default(120),
    })
    .prefault({}),
  triggers: z.array(TriggerSchema).min(1),
  canary: CanarySchema.optional(),
  action: ActionSchema,
});

export type Rules = z.output<typeof RulesSchema>;
export type RulesInput = z.input<typeof RulesSchema>;
export type Trigger = Rules['triggers'][number];
export type CanaryRules = NonNullable<Rules['canary']>;

/** Value checks zod's shapes cannot say: ratio thresholds, unique names, the canary an accuracy rule needs. */
function crossCheck(rules: Rules, where: string): void {
  const problems: string[] = [];
  const seen = new Set<string>();
  rules.triggers.forEach((t, i) => {
    const at = `${where}: triggers.${i}`;
    if (seen.has(t.name)) problems.push(`${at}.name: "${t.name}" is used twice`);
    seen.add(t.name);
    if (t.metric !== 'p95_latency_seconds' && t.threshold > 1) problems.push(`${at}.threshold: ${t.metric} is a fraction in [0, 1], got ${t.threshold}`);
    if (t.metric === 'accuracy_drop' && !rules.canary) problems.push(`${at}.metric: accuracy_drop needs a canary section (golden set and baseline)`);
    if (t.metric === 'accuracy_drop' && t.comparison !== 'above') problems.push(`${at}.comparison: accuracy_drop is baseline minus canary accuracy; it fires "above" its threshold`);
    if (t.alpha !== undefined && t.metric !== 'accuracy_drop') problems.push(`${at}.alpha: only accuracy_drop takes a significance level`);
    if (t.windowSeconds < rules.pollSeconds) problems.push(`${at}.windowSeconds: ${t.windowSeconds} is shorter than pollSeconds ${rules.pollSeconds}; a window needs at least two scrapes`);
  });
  if (problems.length > 0) throw new InputError(problems.join('\n'));
}

/** Checks a rules object; `base` resolves the canary's relative paths. */
export function parseRules(data: unknown, where: string, base = process.cwd()): Rules {
  const result = RulesSchema.safeParse(data ?? {});
  if (!result.success) throw new InputError(describeZodIssues(where, result.error.issues));
  const rules = result.data;
  crossCheck(rules, where);
  if (!rules.canary) return rules;
  const at = (p: string): string => (isAbsolute(p) ? p : resolve(base, p));
  const { baseline } = rules.canary;
  return {
    ...rules,
    canary: { ...rules.canary, golden: at(rules.canary.golden), baseline: 'summary' in baseline ? { ...baseline, summary: at(baseline.summary) } : baseline },
  };
}

export async function loadRules(file: string): Promise<Rules> {
  return parseRules(parseYamlText(await readYamlText(file, 'rules'), file), file, dirname(resolve(file)));
}

/** A trigger's `consecutive`, else the file's. */
export function consecutiveOf(rules: Rules, t: Trigger): number {
  return t.consecutive ?? rules.consecutive;
}
