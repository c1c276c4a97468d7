/**
 * The audit log of `ragbench watch`: one JSON line per rollback, `version: 1`. The lead renders
 * these records in the HTML report and summary.json; the rules file format is in rules.ts.
 */
import { z } from 'zod';

export const AUDIT_VERSION = 1;

export const WATCH_METRICS = ['p95_latency_seconds', 'error_rate', 'accuracy_drop', 'consensus_agreement', 'cache_hit_ratio'] as const;
export type WatchMetric = (typeof WATCH_METRICS)[number];

export const CommandOutcomeSchema = z.object({
  argv: z.array(z.string()),
  /** Null when the command did not exit by itself (killed at its timeout, or could not start). */
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  timedOut: z.boolean(),
  durationMs: z.number(),
  /** The last 4 KiB of each stream. */
  stdout: z.string(),
  stderr: z.string(),
  /** Why it could not start (e.g. ENOENT), when it could not. */
  error: z.string().optional(),
});

export const WebhookOutcomeSchema = z.object({
  url: z.string(),
  /** HTTP status; null when no answer came (refused, timed out). */
  status: z.number().int().nullable(),
  durationMs: z.number(),
  error: z.string().optional(),
});

export const ActionOutcomeSchema = z.object({
  /** Every configured part succeeded: the command exited 0 and the webhook answered 2xx. */
  ok: z.boolean(),
  command: CommandOutcomeSchema.optional(),
  webhook: WebhookOutcomeSchema.optional(),
});

export const AuditRecordSchema = z.object({
  version: z.literal(AUDIT_VERSION),
  /** ISO time the trigger fired. */
  time: z.string(),
  service: z.string(),
  trigger: z.string(),
  metric: z.enum(WATCH_METRICS),
  comparison: z.enum(['above', 'below']),
  /** The windowed value that breached. */
  value: z.number(),
  threshold: z.number(),
  /** The rule's window, and the span the scrapes actually covered (at least the window). */
  windowSeconds: z.number(),
  coveredSeconds: z.number(),
  /** Observations in the window (requests, cache lookups, probes, consensus queries) and the rule's minimum. */
  samples: z.number().int(),
  minSamples: z.number().int(),
  /** Consecutive polls in breach when it fired (the rule's `consecutive`). */
  consecutive: z.number().int(),
  /** accuracy_drop: the one-sided exact binomial test that made the drop significant. */
  test: z.object({ method: z.string(), pValue: z.number(), alpha: z.number(), baseline: z.number(), correct: z.number().int() }).optional(),
  action: ActionOutcomeSchema,
});

export type CommandOutcome = z.infer<typeof CommandOutcomeSchema>;
export type WebhookOutcome = z.infer<typeof WebhookOutcomeSchema>;
export type ActionOutcome = z.infer<typeof ActionOutcomeSchema>;
export type AuditRecord = z.infer<typeof AuditRecordSchema>;
