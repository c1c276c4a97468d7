/**
 * `ragbench watch` as a library: poll the service's /metrics (and ask the canary), judge every
 * rule over its sliding window, and when one has breached for its `consecutive` polls, run the
 * rollback action once, append the audit record, and start a cooldown. Never prints: each
 * poll's report goes to a callback.
 */
import { appendAudit } from './audit.ts';
import { runAction } from './action.ts';
import { baselineAccuracy, Canary, type Probe } from './canary.ts';
import { evaluateRule, type RuleStatus } from './evaluate.ts';
import { request, ServiceUnreachable } from './http.ts';
import { parseExposition } from './prometheus.ts';
import { consecutiveOf, type Rules } from './rules.ts';
import { AUDIT_VERSION, type AuditRecord } from './schema.ts';
import { toScrape, type Scrape } from './window.ts';

export interface WatchOptions {
  /** The service's base URL, e.g. http://127.0.0.1:8080. */
  service: string;
  rules: Rules;
  /** JSON-lines audit log; none when absent. */
  audit?: string;
  /** After a rollback, go on watching (with the cooldown) instead of ending. */
  keepWatching?: boolean;
}

export interface PollReport {
  /** Date.now() of the poll. */
  at: number;
  poll: number;
  reachable: boolean;
  /** Why the scrape failed, when it did. */
  error?: string;
  /** Seconds since the service last answered (0 when it answered now). */
  unreachableSeconds: number;
  statuses: (RuleStatus & { streak: number; needed: number })[];
  probes: Probe[];
  canaryError?: string;
  /** Seconds of cooldown left after a rollback; 0 when none. */
  cooldownSeconds: number;
  fired?: AuditRecord;
}

export type WatchEndReason = 'stopped' | 'rolled-back' | 'unreachable';

export interface WatchEnd {
  reason: WatchEndReason;
  polls: number;
  fired: AuditRecord[];
  message: string;
}

export class Watcher {
  private scrapes: Scrape[] = [];
  private probes: Probe[] = [];
  private readonly streaks = new Map<string, number>();
  private lastAnswerAt: number | undefined;
  private readonly startedAt = Date.now();
  private cooldownUntil = 0;
  private polls = 0;
  readonly fired: AuditRecord[] = [];
  private readonly service: string;
  private readonly maxWindowMs: number;

  private constructor(
    private readonly options: WatchOptions,
    private readonly canary: Canary | undefined,
    private readonly baseline: number | undefined,
  ) {
    this.service = options.service.replace(/\/+$/, '');
    this.maxWindowMs = Math.max(...options.rules.triggers.map((t) => t.windowSeconds)) * 1000;
  }

  /** Loads the canary's golden set and baseline first: bad input fails here (InputError), before any poll. */
  static async create(options: WatchOptions): Promise<Watcher> {
    const { canary } = options.rules;
    if (!canary) return new Watcher(options, undefined, undefined);
    const [set, baseline] = await Promise.all([Canary.load(canary), baselineAccuracy(canary.baseline)]);
    return new Watcher(options, set, baseline.accuracy);
  }

  /** One poll: scrape, probe, judge, and fire at most one trigger. */
  async poll(): Promise<PollReport> {
    const { rules } = this.options;
    const timeoutMs = rules.service.timeoutMs;
    this.polls++;
    const at = Date.now();
    let error: string | undefined;
    try {
      const answer = await request(`${this.service}/metrics`, timeoutMs);
      if (answer.status !== 200) throw new ServiceUnreachable(`${this.service}/metrics`, new Error(`status ${answer.status}`));
      this.scrapes.push(toScrape(Date.now(), parseExposition(answer.text)));
      this.lastAnswerAt = Date.now();
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const reachable = error === undefined;
    let probes: Probe[] = [];
    let canaryError: string | undefined;
    if (reachable && this.canary) {
      try {
        probes = await this.canary.probe(this.service, timeoutMs);
        this.probes.push(...probes);
      } catch (e) {
        canaryError = e instanceof Error ? e.message : String(e);
      }
    }
    this.prune();
    const statuses = rules.triggers.map((t) => {
      const status: RuleStatus = reachable
        ? evaluateRule(t, { scrapes: this.scrapes, probes: this.probes, ...(this.baseline !== undefined && { baseline: this.baseline }) })
        : { trigger: t.name, metric: t.metric, comparison: t.comparison, threshold: t.threshold, minSamples: t.minSamples, windowSeconds: t.windowSeconds, state: 'insufficient', value: null, samples: 0, coveredSeconds: 0, reason: 'service unreachable' };
      // An unreachable poll neither extends nor breaks a run of breaches: it says nothing.
      const streak = status.state === 'breach' ? (this.streaks.get(t.name) ?? 0) + 1 : status.state === 'ok' ? 0 : (this.streaks.get(t.name) ?? 0);
      if (reachable) this.streaks.set(t.name, status.state === 'insufficient' ? 0 : streak);
      return { ...status, streak: reachable && status.state === 'insufficient' ? 0 : streak, needed: consecutiveOf(rules, t) };
    });
    const report: PollReport = {
      at,
      poll: this.polls,
      reachable,
      ...(error !== undefined && { error }),
      unreachableSeconds: reachable ? 0 : (Date.now() - (this.lastAnswerAt ?? this.startedAt)) / 1000,
      statuses,
      probes,
      ...(canaryError !== undefined && { canaryError }),
      cooldownSeconds: Math.max(0, (this.cooldownUntil - Date.now()) / 1000),
    };
    const firing = report.cooldownSeconds === 0 ? statuses.find((s) => s.state === 'breach' && s.streak >= s.needed) : undefined;
    if (firing) report.fired = await this.fire(firing);
    return report;
  }

  private async fire(s: RuleStatus & { streak: number }): Promise<AuditRecord> {
    const time = new Date().toISOString();
    const firing = {
      time,
      service: this.service,
      trigger: s.trigger,
      metric: s.metric,
      comparison: s.comparison,
      value: s.value as number,
      threshold: s.threshold,
      windowSeconds: s.windowSeconds,
      coveredSeconds: s.coveredSeconds,
      samples: s.samples,
      minSamples: s.minSamples,
      consecutive: s.streak,
      ...(s.test && { test: s.test }),
    };
    const action = await runAction(this.options.rules.action, firing);
    const record: AuditRecord = { version: AUDIT_VERSION, ...firing, action };
    if (this.options.audit) await appendAudit(this.options.audit, record);
    this.fired.push(record);
    this.cooldownUntil = Date.now() + this.options.rules.cooldownSeconds * 1000;
    // What was measured belongs to the deployment rolled back: the next one starts a new window.
    this.scrapes = [];
    this.probes = [];
    this.streaks.clear();
    return record;
  }

  /** Keeps the scrapes the longest window needs: the last one at or before its start, and all after. */
  private prune(): void {
    const newest = this.scrapes[this.scrapes.length - 1];
    if (!newest) return;
    const start = newest.at - this.maxWindowMs;
    let keepFrom = 0;
    for (let i = this.scrapes.length - 1; i >= 0; i--) {
      if ((this.scrapes[i] as Scrape).at <= start) {
        keepFrom = i;
        break;
      }
    }
    this.scrapes = this.scrapes.slice(keepFrom);
    this.probes = this.probes.filter((p) => p.at >= start);
  }

  /**
   * Polls every `pollSeconds` until stopped (`signal`), `forSeconds` have passed, one poll with
   * `once`, a rollback fired (unless keepWatching), or the service was unreachable longer than
   * the rules allow.
   */
  async run(onPoll: (report: PollReport) => void, opts: { once?: boolean; forSeconds?: number; signal?: AbortSignal } = {}): Promise<WatchEnd> {
    const { rules } = this.options;
    const intervalMs = rules.pollSeconds * 1000;
    const deadline = opts.forSeconds !== undefined ? Date.now() + opts.forSeconds * 1000 : Infinity;
    const end = (reason: WatchEndReason, message: string): WatchEnd => ({ reason, polls: this.polls, fired: this.fired, message });
    for (let next = Date.now(); ; ) {
      const report = await this.poll();
      onPoll(report);
      if (report.fired && !this.options.keepWatching) {
        const f = report.fired;
        return end('rolled-back', `trigger ${f.trigger} fired (${f.metric} ${f.value} ${f.comparison} ${f.threshold}); rollback ${f.action.ok ? 'succeeded' : 'FAILED'}`);
      }
      if (!report.reachable && (opts.once || report.unreachableSeconds > rules.service.maxUnreachableSeconds)) {
        return end('unreachable', `service unreachable for ${report.unreachableSeconds.toFixed(1)} s (the rules allow ${rules.service.maxUnreachableSeconds} s): ${report.error ?? ''}`);
      }
      if (opts.once) return end(this.fired.length > 0 ? 'rolled-back' : 'stopped', 'one poll');
      next = Math.max(next + intervalMs, Date.now());
      const wait = Math.min(next, deadline) - Date.now();
      if (Date.now() >= deadline || !(await sleep(Math.max(0, wait), opts.signal)) || Date.now() >= deadline) {
        return end(this.fired.length > 0 ? 'rolled-back' : 'stopped', opts.signal?.aborted ? 'stopped by signal' : `watched for ${opts.forSeconds} s`);
      }
    }
  }
}

/** Resolves true after `ms`, false at once when the signal aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
