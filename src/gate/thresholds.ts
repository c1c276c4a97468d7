import { z } from 'zod';
import { METRICS, metricInfo } from './metrics.ts';

/**
 * Threshold grammar, as written in a suite's `thresholds:` or a separate YAML/JSON file:
 *
 *   thresholds:
 *     defaults: true                        # keep the production targets (default true)
 *     latency.p95Ms: "< 2000"               # every run
 *     accuracy.citationAccuracy: ">= 0.99"
 *     runs:                                 # run id or glob (* and ?), overrides the above
 *       "bm25*":
 *         accuracy.semanticAccuracy: ">= 0.60"
 *       faiss-hnsw:
 *         latency.p95Ms: off                # no check for this metric on these runs
 *     tolerances:                           # used when a baseline is given
 *       significance: 0.05                  # a regression must also be significant at this level
 *       accuracy.citationAccuracy: "-0.01"  # may drop by at most 0.01 (absolute)
 *       latency.p95Ms: "+20%"               # may grow by at most 20 %
 *     modes:                                # what blocks in each `ragbench gate --mode`
 *       nightly: { targets: warn, regressions: block }
 */

export const OPS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type Op = (typeof OPS)[number];

export interface Rule {
  op: Op;
  value: number;
  /** As written, for messages. */
  text: string;
}

export interface Tolerance {
  /** Which way the metric may move by at most `amount`; the other way is an improvement. */
  worse: 'up' | 'down';
  amount: number;
  relative: boolean;
  text: string;
}

const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const RULE_RE = new RegExp(String.raw`^\s*(<=|>=|==|!=|<|>)\s*(${NUMBER})\s*(%?)\s*$`);
const TOLERANCE_RE = new RegExp(String.raw`^\s*([+-]?)\s*(${NUMBER.replace('[+-]?', '')})\s*(%?)\s*$`);

export function parseRule(text: string): Rule | null {
  const m = RULE_RE.exec(text);
  if (!m) return null;
  const value = Number(m[2]) / (m[3] ? 100 : 1);
  return { op: m[1] as Op, value, text: text.trim() };
}

/** `sign` empty: the metric's own direction decides which way is worse. */
export function parseTolerance(text: string, metric: string): Tolerance | string {
  const m = TOLERANCE_RE.exec(text);
  if (!m) return `expected a tolerance like "-0.01" (may drop 0.01) or "+20%" (may grow 20 %), or "off"; got ${JSON.stringify(text)}`;
  const sign = m[1];
  const better = metricInfo(metric)?.better;
  let worse: Tolerance['worse'];
  if (sign === '+') worse = 'up';
  else if (sign === '-') worse = 'down';
  else if (better) worse = better === 'higher' ? 'down' : 'up';
  else return `${metric} has no natural direction: write the sign, "+${m[2]}${m[3]}" (may grow) or "-${m[2]}${m[3]}" (may drop)`;
  const relative = m[3] === '%';
  const amount = Number(m[2]) / (relative ? 100 : 1);
  return { worse, amount, relative, text: `${worse === 'up' ? '+' : '-'}${m[2]}${m[3]}` };
}

const OFF = 'off';

const unknownMetric = (key: string): string => `unknown metric ${JSON.stringify(key)}; known: ${Object.keys(METRICS).join(', ')}`;

/** A mapping keyed by metric paths; an unknown key is reported at its own path. */
function metricRecord<T extends z.ZodType>(value: T) {
  return z.record(z.string(), value).superRefine((rec, ctx) => {
    for (const key of Object.keys(rec)) {
      if (metricInfo(key) === undefined) ctx.addIssue({ code: 'custom', message: unknownMetric(key), path: [key] });
    }
  });
}

/** A rule as written; null means "off". */
const RuleExpr = z
  .string({ error: 'expected a string like "< 2000" or ">= 0.99", or "off"' })
  .transform((text, ctx): Rule | null => {
    if (text.trim() === OFF) return null;
    const rule = parseRule(text);
    if (!rule) {
      ctx.addIssue({
        code: 'custom',
        message: `expected "<op> <number>" with op one of ${OPS.join(' ')} (e.g. "< 2000", ">= 99%"), or "off"; got ${JSON.stringify(text)}`,
      });
      return z.NEVER;
    }
    return rule;
  });

const RuleSet = metricRecord(RuleExpr);

const ToleranceSet = metricRecord(z.string({ error: 'expected a string like "-0.01" or "+20%", or "off"' })).transform(
  (raw, ctx): Record<string, Tolerance | null> => {
    const out: Record<string, Tolerance | null> = {};
    for (const [metric, text] of Object.entries(raw)) {
      if (text.trim() === OFF) {
        out[metric] = null;
        continue;
      }
      const t = parseTolerance(text, metric);
      if (typeof t === 'string') ctx.addIssue({ code: 'custom', message: t, path: [metric] });
      else out[metric] = t;
    }
    return out;
  },
);

const RESERVED = ['defaults', 'runs', 'tolerances', 'modes'] as const;

/** The key under `tolerances:` that sets the significance level of regression tests. */
export const SIGNIFICANCE_KEY = 'significance';
export const DEFAULT_SIGNIFICANCE = 0.05;

const Significance = z
  .number({ error: 'expected a significance level like 0.05 (a number, not a string)' })
  .gt(0, 'the significance level must be above 0 (e.g. 0.05)')
  .max(0.5, 'the significance level must be at most 0.5 (e.g. 0.05)');

/** `ragbench gate --mode`: local (a developer's run), nightly CI, the pre-deploy gate. */
export const GATE_MODES = ['local', 'nightly', 'predeploy'] as const;
export type GateMode = (typeof GATE_MODES)[number];

/** Whether a failed check of a kind blocks the decision (NO-GO) or is reported as a warning. */
export type Effect = 'block' | 'warn';
export interface ModePolicy {
  /** Production targets and thresholds. */
  targets: Effect;
  /** Regressions against the baseline. */
  regressions: Effect;
}

/** Nightly fails on a regression and reports target misses; the pre-deploy gate requires both. */
export const DEFAULT_MODES: Readonly<Record<GateMode, ModePolicy>> = {
  local: { targets: 'block', regressions: 'block' },
  nightly: { targets: 'warn', regressions: 'block' },
  predeploy: { targets: 'block', regressions: 'block' },
};

const EffectSchema = z.enum(['block', 'warn'], { error: 'expected block or warn' });
const ModesSchema = z.partialRecord(
  z.enum(GATE_MODES, { error: `expected a gate mode: ${GATE_MODES.join(', ')}` }),
  z.strictObject({ targets: EffectSchema.optional(), regressions: EffectSchema.optional() }, { error: 'expected { targets: block|warn, regressions: block|warn }' }),
);

/** Parsed thresholds: what `evaluateGate` takes. */
export interface Thresholds {
  /** Start from the production targets and default tolerances. */
  defaults: boolean;
  /** Rules for every run; null switches a default off. */
  all: Record<string, Rule | null>;
  /** Per selector (run id or glob), in the order written. */
  runs: { selector: string; rules: Record<string, Rule | null> }[];
  tolerances: Record<string, Tolerance | null>;
  /** Level α of the tests behind regressions (`tolerances.significance`); 0.05 unless set. */
  significance?: number;
  /** Overrides of DEFAULT_MODES, per mode. */
  modes?: Partial<Record<GateMode, { targets?: Effect | undefined; regressions?: Effect | undefined }>>;
}

/** The policy of a mode: the defaults with the thresholds' overrides. */
export function modePolicy(thresholds: Thresholds, mode: GateMode): ModePolicy {
  const over = thresholds.modes?.[mode];
  const base = DEFAULT_MODES[mode];
  return { targets: over?.targets ?? base.targets, regressions: over?.regressions ?? base.regressions };
}

export const ThresholdsSchema = z
  .record(z.string(), z.unknown(), { error: 'expected a mapping of metric paths to rules like "< 2000"' })
  .transform((raw, ctx): Thresholds => {
    const out: Thresholds = { defaults: true, all: {}, runs: [], tolerances: {} };
    const merge = <T>(schema: z.ZodType<T>, value: unknown, path: (string | number)[]): T | undefined => {
      const r = schema.safeParse(value);
      if (r.success) return r.data;
      for (const issue of r.error.issues) ctx.addIssue({ code: 'custom', message: issue.message, path: [...path, ...issue.path] });
      return undefined;
    };
    for (const [key, value] of Object.entries(raw)) {
      if (key === 'defaults') {
        const d = merge(z.boolean({ error: 'expected true or false' }), value, [key]);
        if (d !== undefined) out.defaults = d;
      } else if (key === 'runs') {
        const runs = merge(z.record(z.string().min(1, 'empty run selector'), RuleSet), value, [key]);
        if (runs) out.runs = Object.entries(runs).map(([selector, rules]) => ({ selector, rules }));
      } else if (key === 'tolerances') {
        const isMap = value !== null && typeof value === 'object' && !Array.isArray(value);
        const { [SIGNIFICANCE_KEY]: level, ...rest } = isMap ? (value as Record<string, unknown>) : {};
        const t = merge(ToleranceSet, isMap ? rest : value, [key]);
        if (t) out.tolerances = t;
        if (level !== undefined) {
          const a = merge(Significance, level, [key, SIGNIFICANCE_KEY]);
          if (a !== undefined) out.significance = a;
        }
      } else if (key === 'modes') {
        const m = merge(ModesSchema, value, [key]);
        if (m) out.modes = m;
      } else if (metricInfo(key) === undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: `${unknownMetric(key)}; or one of ${RESERVED.join(', ')}` });
      } else {
        const rule = merge(RuleExpr, value, [key]);
        if (rule !== undefined) out.all[key] = rule;
      }
    }
    return out;
  });

export type ThresholdsInput = z.input<typeof ThresholdsSchema>;

const rule = (text: string): Rule => parseRule(text) as Rule;

/** The production targets: P95 < 2 s, cache hit < 50 ms, citation ≥ 0.99, semantic ≥ 0.95, agreement ≥ 0.90, no data loss; under load ≥ 1,000 req/s and a hit ratio ≥ 0.85. */
export const DEFAULT_RULES: Readonly<Record<string, Rule>> = {
  'latency.p95Ms': rule('< 2000'),
  'cache.hitP95Ms': rule('< 50'),
  // Under load (suites with `load:`): the plan's P95 and throughput, a cache that holds, no failures, bounded memory.
  'load.p95Ms': rule('< 2000'),
  'load.rps': rule('>= 1000'),
  'load.errorRate': rule('<= 0.001'),
  'cache.hitRatio': rule('>= 0.85'),
  'load.soak.growthOfBound': rule('<= 1'),
  'accuracy.citationAccuracy': rule('>= 0.99'),
  'accuracy.semanticAccuracy': rule('>= 0.95'),
  'consensus.agreement': rule('>= 0.90'),
  'consensus.chunksLost': rule('== 0'),
  'migration.lostRecords': rule('== 0'),
  'migration.duplicates': rule('== 0'),
  'migration.orphans': rule('== 0'),
};

const tolerance = (text: string, metric: string): Tolerance => parseTolerance(text, metric) as Tolerance;

/** Accuracy may drop at most 0.01 absolute; p95 latencies may grow at most 20 %; no new data loss. */
export const DEFAULT_TOLERANCES: Readonly<Record<string, Tolerance>> = Object.fromEntries([
  ...[
    'accuracy.citationAccuracy',
    'accuracy.citationFaithfulness',
    'accuracy.semanticAccuracy',
    'accuracy.hitAt1',
    'accuracy.recallAt5',
    'accuracy.recallAt10',
    'accuracy.mrrAt10',
    'accuracy.ndcgAt10',
    'consensus.agreement',
  ].map((m) => [m, tolerance('-0.01', m)] as const),
  ['latency.p95Ms', tolerance('+20%', 'latency.p95Ms')],
  ['cache.hitP95Ms', tolerance('+20%', 'cache.hitP95Ms')],
  ['load.p95Ms', tolerance('+20%', 'load.p95Ms')],
  // Throughput has no per-request samples to test: its share of the /health ceiling measured in the
  // same run (so a busier or slower machine cancels out) is compared as measured, with room for noise.
  ['load.ceilingRatio', tolerance('-25%', 'load.ceilingRatio')],
  ['cache.hitRatio', tolerance('-0.02', 'cache.hitRatio')],
  ['migration.lostRecords', tolerance('+0', 'migration.lostRecords')],
]);

/** No file, no suite thresholds: the production targets alone. */
export const DEFAULT_THRESHOLDS: Thresholds = { defaults: true, all: {}, runs: [], tolerances: {} };
