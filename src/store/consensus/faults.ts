import { z } from 'zod';
import type { ManagedServer } from '../../servers/types.ts';
import { seededRandom } from '../../stats/random.ts';
import { InputError } from '../../util/errors.ts';
import type { VectorHit, VectorRecord, VectorStore } from '../types.ts';
import { assertDimensions, assertValidK, closedError, prepareUpsert } from '../util.ts';
import { sleep } from './async.ts';
import { storeSpecSchema } from './options.ts';

const OPERATIONS = ['upsert', 'query', 'delete', 'count', 'get', 'listIds', 'deleteByDocument'] as const;
type Operation = (typeof OPERATIONS)[number];

export const BYZANTINE_MODES = ['random-ids', 'shuffled', 'wrong-scores', 'other-document'] as const;
/** The fault kinds, as the options name them. */
export const FAULT_KINDS = ['crash', 'slow', 'byzantine', 'partial', 'flapping'] as const;

export const faultOptionsSchema = z.strictObject({
  /** The store the faults are injected into. */
  store: storeSpecSchema,
  /** Seeds every random choice (jitter, lies, dropped records): a scenario replays exactly. */
  seed: z.int().default(1),
  /** Every call fails like a refused connection once `afterCalls` calls went through. */
  crash: z
    .strictObject({
      afterCalls: z.int().min(0).default(0),
      /** Back up this long after the crash began (the data kept, as a restarted server's); absent: down for good. */
      restartAfterMs: z.number().positive().optional(),
      /**
       * Crash a real server instead of faking the error: `kill` (SIGKILL) or `stop` through the
       * hooks registered under `target` (registerServerHooks); calls then go through and fail for real.
       */
      server: z.enum(['kill', 'stop']).optional(),
      target: z.string().min(1).optional(),
    })
    .refine((c) => (c.server === undefined) === (c.target === undefined), { message: 'crash.server and crash.target go together' })
    .optional(),
  /** Added latency before each listed operation (default: all): latencyMs + uniform [0, jitterMs). */
  slow: z
    .strictObject({
      latencyMs: z.number().min(0),
      jitterMs: z.number().min(0).default(0),
      operations: z.array(z.enum(OPERATIONS)).min(1).optional(),
    })
    .optional(),
  /** Lying query answers; other operations stay honest, so reconcile and repair see the true data. */
  byzantine: z
    .strictObject({
      mode: z.enum(BYZANTINE_MODES),
      /** Fraction of queries that lie. */
      fraction: z.number().min(0).max(1).default(1),
      /** Honest for the first this many queries ... */
      afterQueries: z.int().min(0).default(0),
      /** ... then lies for this many (absent: for ever). */
      forQueries: z.int().positive().optional(),
    })
    .optional(),
  /** Upserts silently drop this fraction of their records. */
  partial: z.strictObject({ dropFraction: z.number().min(0).max(1) }).optional(),
  /** Up and down in turns, by call count or by time. */
  flapping: z
    .union([
      z.strictObject({ upCalls: z.int().positive(), downCalls: z.int().positive() }),
      z.strictObject({ upMs: z.number().positive(), downMs: z.number().positive() }),
    ])
    .optional(),
});

export type FaultOptions = z.output<typeof faultOptionsSchema>;
/** The faults alone, as a scenario switches them at run time (setFaults). */
const faultsSchema = faultOptionsSchema.omit({ store: true, seed: true });
export type Faults = z.output<typeof faultsSchema>;

/**
 * What a crash scenario does to a real server. A ManagedServer (src/servers/types.ts) provides
 * all three; serverHooks(server) adapts one, registerServerHooks names it for suites.
 */
export interface ServerHooks {
  kill(): Promise<void>;
  stop(): Promise<void>;
  restart(): Promise<void>;
}

const registeredHooks = new Map<string, ServerHooks>();

/** Makes a server crashable by a suite's `crash: { server: kill, target: <name> }`. Returns the unregister function. */
export function registerServerHooks(target: string, hooks: ServerHooks): () => void {
  registeredHooks.set(target, hooks);
  return () => {
    if (registeredHooks.get(target) === hooks) registeredHooks.delete(target);
  };
}

export function serverHooks(server: ManagedServer): ServerHooks {
  return { kill: () => server.kill(), stop: () => server.stop(), restart: () => server.restart() };
}

export function hooksFor(target: string): ServerHooks {
  const hooks = registeredHooks.get(target);
  if (!hooks) {
    throw new InputError(
      `faulty: crash.target "${target}" names no running server; the runner registers servers with registerServerHooks (known: ${[...registeredHooks.keys()].join(', ') || 'none'})`,
    );
  }
  return hooks;
}

/** An error like the one a client gets from a port where nothing listens. */
export function connectionRefused(backend: string, why: string): Error {
  return Object.assign(new Error(`${backend}: connect ECONNREFUSED (${why})`), { code: 'ECONNREFUSED' });
}

/**
 * Wraps any store and injects the configured faults (docs/consensus.md). Deterministic for a
 * seed and a sequence of calls. Tests and scenarios switch faults with setFaults()/heal().
 */
export class FaultyStore implements VectorStore {
  readonly id: string;
  readonly dimensions: number;
  private faults: Faults;
  private random: () => number;
  private calls = 0;
  private queries = 0;
  private readonly startedAt = performance.now();
  private crashedAt: number | undefined;
  private serverCrashed = false;
  private closed = false;
  private readonly dropped: string[] = [];

  constructor(
    readonly inner: VectorStore,
    options: Faults & { seed?: number },
    private readonly hooks?: ServerHooks,
  ) {
    this.id = `faulty(${inner.id})`;
    this.dimensions = inner.dimensions;
    const { seed, ...faults } = options;
    this.faults = faults;
    this.random = seededRandom(seed ?? 1);
  }

  /** Replaces the faults from now on (counters restart, so afterCalls counts from here); same shape as the suite options. */
  setFaults(faults: z.input<typeof faultsSchema>): void {
    this.faults = faultsSchema.parse(faults);
    this.calls = 0;
    this.queries = 0;
    this.crashedAt = undefined;
  }

  /** No faults from now on (a crashed real server is restarted). */
  async heal(): Promise<void> {
    if (this.serverCrashed) await this.restartServer();
    this.setFaults({});
  }

  /**
   * The injected faults in words, e.g. "crash (afterCalls 400)", "byzantine (mode random-ids)",
   * including those of a wrapped wrapper: what a report names beside the backend.
   */
  describeFaults(): string[] {
    const own = FAULT_KINDS.flatMap((kind) => {
      const options = this.faults[kind];
      if (options === undefined) return [];
      const detail = Object.entries(options)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => `${k} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
        .join(', ');
      return [detail ? `${kind} (${detail})` : kind];
    });
    return this.inner instanceof FaultyStore ? [...own, ...this.inner.describeFaults()] : own;
  }

  /** Ids a partial-write fault dropped, in order. */
  droppedIds(): readonly string[] {
    return this.dropped;
  }

  private async restartServer(): Promise<void> {
    this.serverCrashed = false;
    await this.hooks?.restart();
  }

  /** Crash, flapping and latency before an operation reaches the inner store. */
  private async gate(operation: Operation): Promise<void> {
    if (this.closed) throw closedError(this.id);
    this.calls++;
    const now = performance.now();
    const { crash, flapping, slow } = this.faults;
    if (crash && this.calls > crash.afterCalls) {
      this.crashedAt ??= now;
      const down = crash.restartAfterMs === undefined || now - this.crashedAt < crash.restartAfterMs;
      if (crash.server) {
        if (down && !this.serverCrashed) {
          this.serverCrashed = true;
          await (crash.server === 'kill' ? this.hooks?.kill() : this.hooks?.stop());
        } else if (!down && this.serverCrashed) await this.restartServer();
        // The server is really down: the call goes through and fails as a client would see it.
      } else if (down) throw connectionRefused(this.id, 'injected crash');
    }
    if (flapping) {
      const down =
        'upCalls' in flapping
          ? (this.calls - 1) % (flapping.upCalls + flapping.downCalls) >= flapping.upCalls
          : (now - this.startedAt) % (flapping.upMs + flapping.downMs) >= flapping.upMs;
      if (down) throw connectionRefused(this.id, 'injected flapping: down');
    }
    if (slow && (slow.operations ?? OPERATIONS).includes(operation)) {
      await sleep(slow.latencyMs + slow.jitterMs * this.random());
    }
  }

  async upsert(records: readonly VectorRecord[]): Promise<void> {
    await this.gate('upsert');
    prepareUpsert(this, records); // errors name this wrapper, as every store's do
    const drop = this.faults.partial?.dropFraction ?? 0;
    if (drop === 0) return this.inner.upsert(records);
    const kept: VectorRecord[] = [];
    for (const r of records) {
      if (this.random() < drop) this.dropped.push(r.id);
      else kept.push(r);
    }
    return this.inner.upsert(kept);
  }

  async query(vector: Float32Array, k: number): Promise<VectorHit[]> {
    await this.gate('query');
    assertDimensions(this, vector);
    assertValidK(this.id, k);
    const n = ++this.queries;
    const b = this.faults.byzantine;
    const lying =
      b !== undefined &&
      n > b.afterQueries &&
      (b.forQueries === undefined || n <= b.afterQueries + b.forQueries) &&
      this.random() < b.fraction;
    if (!lying) return this.inner.query(vector, k);
    return this.lie(b.mode, vector, k);
  }

  private async lie(mode: (typeof BYZANTINE_MODES)[number], vector: Float32Array, k: number): Promise<VectorHit[]> {
    const truth = await this.inner.query(vector, k);
    switch (mode) {
      case 'random-ids': {
        // The true scores on random stored ids: plausible numbers, wrong chunks.
        const ids = await this.inner.listIds();
        const picked = new Set<string>();
        while (picked.size < Math.min(truth.length, ids.length)) picked.add(ids[Math.floor(this.random() * ids.length)] as string);
        return [...picked].map((id, i) => ({ id, score: (truth[i] as VectorHit).score }));
      }
      case 'shuffled': {
        const ids = truth.map((h) => h.id);
        for (let i = ids.length - 1; i > 0; i--) {
          const j = Math.floor(this.random() * (i + 1));
          [ids[i], ids[j]] = [ids[j] as string, ids[i] as string];
        }
        return truth.map((h, i) => ({ id: ids[i] as string, score: h.score }));
      }
      case 'wrong-scores': {
        const scores = truth.map(() => this.random() * 2 - 1).sort((a, b) => b - a);
        return truth.map((h, i) => ({ id: h.id, score: scores[i] as number }));
      }
      case 'other-document': {
        // The nearest chunks of documents other than the best hit's: on topic, wrong source.
        const wide = await this.inner.query(vector, Math.min(await this.inner.count(), Math.max(4 * k, k + 50)));
        const docOf = new Map((await this.inner.get(wide.map((h) => h.id))).map((r) => [r.id, r.metadata?.documentId]));
        const top = docOf.get(truth[0]?.id ?? '');
        return wide.filter((h) => docOf.get(h.id) !== top).slice(0, k);
      }
    }
  }

  async delete(ids: readonly string[]): Promise<void> {
    await this.gate('delete');
    return this.inner.delete(ids);
  }

  async count(): Promise<number> {
    await this.gate('count');
    return this.inner.count();
  }

  async get(ids: readonly string[]): Promise<VectorRecord[]> {
    await this.gate('get');
    return this.inner.get(ids);
  }

  async listIds(): Promise<string[]> {
    await this.gate('listIds');
    return this.inner.listIds();
  }

  async deleteByDocument(documentId: string): Promise<number> {
    await this.gate('deleteByDocument');
    return this.inner.deleteByDocument(documentId);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.inner.close();
  }
}
