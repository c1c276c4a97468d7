import { recordQueryReport } from './report-scope.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { VectorHit, VectorRecord, VectorStore } from '../types.ts';
import { assertDimensions, assertValidDimensions, assertValidK, closedError, prepareUpsert } from '../util.ts';
import { mapLimit, message, retry, TimeoutError, withTimeout } from './async.ts';
import { Backend, byHealth } from './backend.ts';
import type { ConsensusOptions } from './options.ts';
import { reconcile, repair } from './reconcile.ts';
import { type ConsensusReport, percentiles, type QueryReport, type ReconcileReport, type RepairReport } from './report.ts';
import { type Ballot, mergeBallots, overlap, settled } from './vote.ts';
import { type WalOp, WriteAheadLog } from './wal.ts';

/** A built backend the router is given: its store, name and base weight. */
export interface BackendInput {
  name: string;
  storeName: string;
  store: VectorStore;
  weight: number;
}

/** One backend's reply to a query: its hits, or the error (timeout, refusal) it failed with. */
interface Answer {
  b: Backend;
  hits?: VectorHit[];
  error?: unknown;
  latencyMs: number;
}

/** The merged answer did not reach the quorum and the store was told to refuse (onNoQuorum: error). */
export class NoQuorumError extends Error {
  constructor(readonly report: QueryReport, quorum: number) {
    super(
      `consensus: no quorum: backends agreeing with the merged top-k hold ${report.agreeingWeight.toFixed(2)} of ${report.totalWeight.toFixed(2)} weight, ` +
        `below the quorum ${quorum.toFixed(3)} (dissented: ${report.dissented.join(', ') || 'none'}; timed out: ${report.timedOut.join(', ') || 'none'}; ` +
        `failed: ${report.failed.map((f) => f.backend).join(', ') || 'none'}; behind: ${report.behind.join(', ') || 'none'})`,
    );
    this.name = 'NoQuorumError';
  }
}

const ID = 'consensus';

/**
 * The storage router and consensus search over N vector stores (docs/consensus.md). Writes go
 * to every backend (bounded parallelism, retries with backoff, a write-ahead log per backend
 * for what still fails); queries go to every up-to-date backend with a timeout and are merged
 * by a weighted vote whose weights follow each backend's agreement with the quorum.
 */
export class ConsensusStore implements VectorStore {
  readonly id = ID;
  private closed = false;
  /** Every id written and not deleted, with its document: what each backend should hold. */
  private readonly ledger = new Map<string, string | undefined>();
  private writeChain: Promise<unknown> = Promise.resolve();
  private lastCatchUpAttempt = -Infinity;
  private backgroundCatchUp: Promise<unknown> | undefined;
  private queries = 0;
  private noQuorum = 0;
  private unanswered = 0;
  private agreementSum = 0;
  private readonly latencies: number[] = [];
  private readonly writes = { batches: 0, retries: 0, walAppends: 0, walReplayed: 0 };
  private lastReconcile: ReconcileReport | null = null;
  private lastQuery: QueryReport | undefined;

  private constructor(
    readonly dimensions: number,
    private readonly backends: readonly Backend[],
    private readonly options: ConsensusOptions,
    /** Where the write-ahead logs live. */
    readonly walDir: string,
    private readonly ownWalDir: string | undefined,
  ) {}

  /**
   * Opens the router over built stores. Logs left in walDir by an earlier process mark their
   * backends behind (replayed on the next write or catchUp()); ids the backends already hold
   * (a reopened server collection) seed what reconcile expects.
   */
  static async open(dimensions: number, inputs: readonly BackendInput[], options: ConsensusOptions): Promise<ConsensusStore> {
    assertValidDimensions(ID, dimensions);
    const ownWalDir = options.walDir === undefined ? await mkdtemp(join(tmpdir(), 'ragbench-wal-')) : undefined;
    const walDir = options.walDir ?? (ownWalDir as string);
    const backends: Backend[] = [];
    for (const input of inputs) {
      const wal = await WriteAheadLog.open(walDir, input.name, options.fsync);
      backends.push(new Backend(input.name, input.storeName, input.store, input.weight, wal, options.weights));
    }
    const store = new ConsensusStore(dimensions, backends, options, walDir, ownWalDir);
    await store.seedLedger();
    return store;
  }

  private async seedLedger(): Promise<void> {
    await mapLimit(this.backends, this.options.write.concurrency, async (b) => {
      try {
        const ids = await withTimeout(b.store.listIds(), this.options.write.timeoutMs, `${b.name}: listIds`);
        const unknown = ids.filter((id) => !this.ledger.has(id));
        for (let i = 0; i < unknown.length; i += 1000) {
          const records = await withTimeout(b.store.get(unknown.slice(i, i + 1000)), this.options.write.timeoutMs, `${b.name}: get`);
          for (const r of records) if (!this.ledger.has(r.id)) this.ledger.set(r.id, r.metadata?.documentId);
        }
      } catch {
        // A backend that is down now contributes nothing; reconcile will show it.
      }
    });
  }

  private open(): void {
    if (this.closed) throw closedError(ID);
  }

  /** Fraction of the configured weight that must agree (query.quorum). */
  get quorum(): number {
    return this.options.query.quorum;
  }

  /** The store a backend was built with (a test or a fault scenario reaches its faulty wrapper here). */
  backendStore(name: string): VectorStore {
    const b = this.backends.find((x) => x.name === name);
    if (!b) throw new Error(`consensus: no backend "${name}"; backends: ${this.backendNames().join(', ')}`);
    return b.store;
  }

  backendNames(): string[] {
    return this.backends.map((b) => b.name);
  }

  // ---------- writes ----------

  /** Write operations run one at a time, so each backend sees them (and its log) in order. */
  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writeChain.then(fn, fn);
    this.writeChain = run.catch(() => undefined);
    return run;
  }

  private apply(b: Backend, op: WalOp): Promise<unknown> {
    switch (op.op) {
      case 'upsert':
        return b.store.upsert(op.records);
      case 'delete':
        return b.store.delete(op.ids);
      case 'deleteByDocument':
        return b.store.deleteByDocument(op.documentId);
    }
  }

  /** Replays a backend's log, one try per entry; on success empties it. Returns the entries replayed. */
  private async replay(b: Backend): Promise<number> {
    const entries = await b.wal.read();
    for (const entry of entries) {
      try {
        await withTimeout(this.apply(b, entry), this.options.write.timeoutMs, `${b.name}: replay`);
      } catch {
        b.behind = true;
        return 0; // replays are idempotent: next time from the start
      }
    }
    await b.wal.truncate();
    b.behind = false;
    this.writes.walReplayed += entries.length;
    return entries.length;
  }

  /** One write to every backend; what a backend does not take goes to its log. Returns each backend's result or error. */
  private fanOut(op: WalOp): Promise<Map<string, { ok: true; value: unknown } | { ok: false; error: string }>> {
    return this.serial(async () => {
      this.open();
      this.writes.batches++;
      const out = new Map<string, { ok: true; value: unknown } | { ok: false; error: string }>();
      await mapLimit(this.backends, this.options.write.concurrency, async (b) => {
        if (b.behind) await this.replay(b);
        if (b.behind) {
          await b.wal.append(op);
          this.writes.walAppends++;
          out.set(b.name, { ok: false, error: 'behind: queued after its earlier writes' });
          return;
        }
        try {
          const value = await retry(() => this.apply(b, op), this.options.write, `${b.name}: ${op.op}`, () => this.writes.retries++);
          out.set(b.name, { ok: true, value });
        } catch (error) {
          await b.wal.append(op);
          this.writes.walAppends++;
          b.behind = true;
          out.set(b.name, { ok: false, error: message(error) });
        }
      });
      const acks = [...out.values()].filter((r) => r.ok).length;
      if (acks < this.options.write.minAcks) {
        const failed = this.backends.flatMap((b) => {
          const r = out.get(b.name);
          return r && !r.ok ? [`${b.name} (${r.error})`] : [];
        });
        throw new Error(
          `consensus: ${op.op} reached ${acks} of ${this.backends.length} backends, need ${this.options.write.minAcks}; ` +
            `kept in the write-ahead logs of ${failed.join(', ')} and replayed when they answer`,
        );
      }
      return out;
    });
  }

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    this.open();
    const fresh = prepareUpsert(this, records); // a bad vector rejects the batch before any backend sees it
    if (fresh.length === 0) return;
    for (const r of fresh) this.ledger.set(r.id, r.metadata?.documentId);
    await this.fanOut({ op: 'upsert', records: fresh });
  }

  async delete(ids: readonly string[]): Promise<void> {
    this.open();
    if (ids.length === 0) return;
    for (const id of ids) this.ledger.delete(id);
    await this.fanOut({ op: 'delete', ids: [...ids] });
  }

  async deleteByDocument(documentId: string): Promise<number> {
    this.open();
    const ours = [...this.ledger].filter(([, doc]) => doc === documentId).map(([id]) => id);
    for (const id of ours) this.ledger.delete(id);
    const results = await this.fanOut({ op: 'deleteByDocument', documentId });
    const counts = [...results.values()].flatMap((r) => (r.ok && typeof r.value === 'number' ? [r.value] : []));
    return Math.max(ours.length, ...counts);
  }

  /** Replays the log of every backend that has one; returns what each replayed and still holds. */
  catchUp(): Promise<{ backend: string; replayed: number; pending: number }[]> {
    return this.serial(async () => {
      this.open();
      this.lastCatchUpAttempt = performance.now();
      const out: { backend: string; replayed: number; pending: number }[] = [];
      for (const b of this.backends) {
        const replayed = b.wal.pending > 0 || b.behind ? await this.replay(b) : 0;
        out.push({ backend: b.name, replayed, pending: b.wal.pending });
      }
      return out;
    });
  }

  /** Queries start a catch-up in the background (at most one per catchUpIntervalMs) when a backend is behind. */
  private nudgeCatchUp(): void {
    if (this.backgroundCatchUp || !this.backends.some((b) => b.behind)) return;
    if (performance.now() - this.lastCatchUpAttempt < this.options.write.catchUpIntervalMs) return;
    this.lastCatchUpAttempt = performance.now();
    this.backgroundCatchUp = this.catchUp()
      .catch(() => undefined)
      .finally(() => {
        this.backgroundCatchUp = undefined;
      });
  }

  private reconcileContext() {
    return {
      backends: this.backends,
      expected: new Set(this.ledger.keys()),
      timeoutMs: this.options.write.timeoutMs,
      concurrency: this.options.write.concurrency,
      maxIdsListed: this.options.maxIdsListed,
    };
  }

  /** Per backend: count, missing and extra ids against what was written; chunks lost = held by nobody. */
  async reconcile(): Promise<ReconcileReport> {
    this.open();
    await this.writeChain;
    const { report } = await reconcile(this.reconcileContext());
    this.lastReconcile = report;
    return report;
  }

  /** Copies missing records from healthy backends and deletes extras, then reconciles again. */
  repair(): Promise<RepairReport> {
    return this.serial(async () => {
      this.open();
      const ctx = this.reconcileContext();
      const backends = await repair(ctx, (b, records) =>
        retry(() => b.store.upsert(records), this.options.write, `${b.name}: repair`, () => this.writes.retries++),
      );
      const { report } = await reconcile(ctx);
      this.lastReconcile = report;
      return { backends, after: report };
    });
  }

  // ---------- reads ----------

  async query(vector: Float32Array, k: number): Promise<VectorHit[]> {
    return (await this.queryWithReport(vector, k)).hits;
  }

  /** The merged top-k and what the vote decided (docs/consensus.md). */
  async queryWithReport(vector: Float32Array, k: number): Promise<{ hits: VectorHit[]; report: QueryReport }> {
    this.open();
    assertDimensions(this, vector);
    assertValidK(ID, k);
    this.nudgeCatchUp();
    const started = performance.now();
    const { quorum, timeoutMs, agreeOverlap, onNoQuorum } = this.options.query;
    const asked = this.backends.filter((b) => !b.behind);
    const calls = asked.map(async (b): Promise<Answer> => {
      const t0 = performance.now();
      try {
        const hits = await withTimeout(b.store.query(vector, k), timeoutMs, `${b.name}: query`);
        return { b, hits, latencyMs: performance.now() - t0 };
      } catch (error) {
        return { b, error, latencyMs: performance.now() - t0 };
      }
    });
    const answers = await this.collect(calls, k, quorum);
    const late = calls.length - answers.length;
    const queryNumber = ++this.queries;
    const answered = answers.flatMap((a) => (a.hits ? [{ b: a.b, hits: a.hits, latencyMs: a.latencyMs }] : []));
    const ballots: Ballot[] = answered.map((a) => ({ backend: a.b.name, weight: a.b.weight, hits: a.hits }));
    const hits = mergeBallots(ballots, k);

    const totalWeight = this.backends.reduce((s, b) => s + b.weight, 0);
    const respondingWeight = answered.reduce((s, a) => s + a.b.weight, 0);
    const overlaps = answered.map((a) => ({ ...a, overlap: overlap(a.hits, hits, k) }));
    const agreeing = overlaps.filter((o) => o.overlap >= agreeOverlap);
    const agreeingWeight = agreeing.reduce((s, o) => s + o.b.weight, 0);
    const agreement = respondingWeight > 0 ? overlaps.reduce((s, o) => s + o.b.weight * o.overlap, 0) / respondingWeight : 0;
    const quorumMet = answered.length > 0 && agreeingWeight >= quorum * totalWeight - 1e-9;

    // Trust moves only when a majority of those who answered backs the consensus: a split vote
    // punishes nobody. An agreeing backend scores 1: an ANN backend that misses a tail neighbour
    // must keep full weight, or two such backends would fall short of 2/3 beside a crashed third.
    const majority = agreeingWeight > respondingWeight / 2;
    if (majority) {
      for (const o of overlaps) o.b.trust.observe(o.overlap >= agreeOverlap ? 1 : o.overlap, queryNumber);
    }
    // Backends still out when the answer settled: their votes count for their own figures and trust when they come.
    if (late > 0) for (const call of calls) void call.then((a) => this.recordLate(a, answers, hits, k, majority, queryNumber));

    const report: QueryReport = {
      query: queryNumber,
      agreement,
      quorumMet,
      agreeingWeight,
      totalWeight,
      agreed: agreeing.map((o) => o.b.name),
      dissented: overlaps.filter((o) => o.overlap < agreeOverlap).map((o) => o.b.name),
      timedOut: answers.filter((a) => a.error instanceof TimeoutError).map((a) => a.b.name),
      failed: answers.filter((a) => a.error !== undefined && !(a.error instanceof TimeoutError)).map((a) => ({ backend: a.b.name, error: message(a.error) })),
      behind: this.backends.filter((b) => !asked.includes(b)).map((b) => b.name),
      perBackend: overlaps.map((o) => ({ backend: o.b.name, overlap: o.overlap, latencyMs: o.latencyMs })),
      latencyMs: performance.now() - started,
    };
    this.record(report, overlaps, answers);
    if (answered.length === 0) {
      throw new Error(
        `consensus: no backend answered: ${[...report.failed.map((f) => `${f.backend} (${f.error})`), ...report.timedOut.map((t) => `${t} (timed out after ${timeoutMs} ms)`), ...report.behind.map((b) => `${b} (behind, catching up)`)].join('; ')}`,
      );
    }
    if (!quorumMet && onNoQuorum === 'error') throw new NoQuorumError(report, quorum);
    return { hits, report };
  }

  /**
   * Answers in the order they come; with `settle: quorum`, stops waiting once the answered
   * backends meet the quorum and no backend still out can change the merged top-k.
   */
  private collect(calls: readonly Promise<Answer>[], k: number, quorum: number): Promise<Answer[]> {
    const answers: Answer[] = [];
    if (calls.length === 0) return Promise.resolve(answers);
    const totalWeight = this.backends.reduce((s, b) => s + b.weight, 0);
    const askedWeight = this.backends.filter((b) => !b.behind).reduce((s, b) => s + b.weight, 0);
    return new Promise((resolve) => {
      let done = false;
      const check = (): void => {
        if (done) return;
        if (answers.length === calls.length) {
          done = true;
          return resolve([...answers]);
        }
        if (this.options.query.settle !== 'quorum') return;
        const ballots = answers.flatMap((a) => (a.hits ? [{ backend: a.b.name, weight: a.b.weight, hits: a.hits }] : []));
        const answeredWeight = ballots.reduce((s, b) => s + b.weight, 0);
        const hits = mergeBallots(ballots, k);
        const agreeing = ballots.filter((b) => overlap(b.hits, hits, k) >= this.options.query.agreeOverlap).reduce((s, b) => s + b.weight, 0);
        const outstanding = askedWeight - answers.reduce((s, a) => s + a.b.weight, 0);
        if (answeredWeight > 0 && agreeing >= quorum * totalWeight - 1e-9 && settled(ballots, k, outstanding)) {
          done = true;
          resolve([...answers]);
        }
      };
      for (const call of calls) {
        void call.then((a) => {
          answers.push(a);
          check();
        });
      }
    });
  }

  /** A backend's answer that came after its query settled: its latency, dissent, errors and trust. */
  private recordLate(a: Answer, settledAnswers: readonly Answer[], hits: readonly VectorHit[], k: number, majority: boolean, queryNumber: number): void {
    if (this.closed || settledAnswers.includes(a)) return;
    if (a.hits) {
      const o = overlap(a.hits, hits, k);
      a.b.answered++;
      a.b.latencies.push(a.latencyMs);
      if (o < this.options.query.agreeOverlap) a.b.dissents++;
      if (majority) a.b.trust.observe(o >= this.options.query.agreeOverlap ? 1 : o, queryNumber);
    } else if (a.error instanceof TimeoutError) a.b.timeouts++;
    else a.b.failures++;
  }

  private record(
    report: QueryReport,
    overlaps: readonly { b: Backend; overlap: number; latencyMs: number }[],
    answers: readonly { b: Backend; error?: unknown }[],
  ): void {
    this.lastQuery = report;
    recordQueryReport(report);
    if (overlaps.length === 0) this.unanswered++;
    else {
      this.agreementSum += report.agreement;
      if (!report.quorumMet) this.noQuorum++;
    }
    this.latencies.push(report.latencyMs);
    for (const o of overlaps) {
      o.b.answered++;
      o.b.latencies.push(o.latencyMs);
      if (o.overlap < this.options.query.agreeOverlap) o.b.dissents++;
    }
    for (const a of answers) {
      if (a.error instanceof TimeoutError) a.b.timeouts++;
      else if (a.error !== undefined) a.b.failures++;
    }
    for (const b of this.backends) if (report.behind.includes(b.name)) b.skippedBehind++;
  }

  /** What the last query decided; undefined before the first. Under concurrency, collectQueryReports gives each caller its own. */
  lastQueryReport(): QueryReport | undefined {
    return this.lastQuery;
  }

  /** Reads from the healthiest backend that has the ids, the rest from the next ones. */
  async get(ids: readonly string[]): Promise<VectorRecord[]> {
    this.open();
    const found = new Map<string, VectorRecord>();
    for (const b of byHealth(this.backends)) {
      const wanted = [...new Set(ids)].filter((id) => !found.has(id));
      if (wanted.length === 0) break;
      try {
        for (const r of await withTimeout(b.store.get(wanted), this.options.write.timeoutMs, `${b.name}: get`)) found.set(r.id, r);
      } catch {
        // The next backend may have them.
      }
    }
    return ids.flatMap((id) => {
      const r = found.get(id);
      return r ? [r] : [];
    });
  }

  /** Ids written and not deleted (what reconcile checks every backend against). */
  async listIds(): Promise<string[]> {
    this.open();
    return [...this.ledger.keys()];
  }

  async count(): Promise<number> {
    this.open();
    return this.ledger.size;
  }

  // ---------- figures ----------

  consensusReport(): ConsensusReport {
    const answeredQueries = this.queries - this.unanswered;
    return {
      queries: this.queries,
      meanAgreement: answeredQueries > 0 ? this.agreementSum / answeredQueries : null,
      answeredFraction: this.queries > 0 ? (answeredQueries - this.noQuorum) / this.queries : null,
      noQuorum: this.noQuorum,
      unanswered: this.unanswered,
      latencyMs: percentiles(this.latencies),
      perBackend: this.backends.map((b) => ({
        name: b.name,
        store: b.storeName,
        baseWeight: b.baseWeight,
        weight: b.weight,
        trust: b.trust.value,
        suspect: b.trust.suspect,
        flaggedAfterQueries: b.trust.flaggedAfterQueries,
        answered: b.answered,
        dissents: b.dissents,
        timeouts: b.timeouts,
        failures: b.failures,
        skippedBehind: b.skippedBehind,
        behind: b.behind,
        latencyMs: percentiles(b.latencies),
      })),
      writes: { ...this.writes, walPending: this.backends.reduce((s, b) => s + b.wal.pending, 0) },
      reconcile: this.lastReconcile,
      chunksLost: this.lastReconcile?.chunksLost ?? null,
    };
  }

  /** Waits for pending writes, closes every backend; a temporary log folder goes when nothing is pending. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.writeChain;
    this.closed = true;
    await Promise.allSettled(this.backends.map((b) => b.store.close()));
    if (this.ownWalDir && this.backends.every((b) => b.wal.pending === 0)) {
      await rm(this.ownWalDir, { recursive: true, force: true });
    }
  }
}
