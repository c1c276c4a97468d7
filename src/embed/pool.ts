import { availableParallelism } from 'node:os';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import { InputError } from '../util/errors.ts';
import type { PoolReply, PoolTask, PooledModelSpec } from './pool-protocol.ts';
import type { Embedder } from './types.ts';

export type { PooledModelSpec } from './pool-protocol.ts';

/** The .mjs entry registers tsx, so workers load the TypeScript sources as the parent does. */
const WORKER_ENTRY = new URL('./pool-worker.mjs', import.meta.url);

export interface PooledEmbedderOptions {
  /** Model id (the embedding cache key) and vector size: the workers' model must report the same. */
  id: string;
  dimensions: number;
  /** Worker threads at most, each with its own copy of the model. Default os.availableParallelism(). */
  size?: number;
  /**
   * Texts per task sent to a worker (default 16). Keep it a multiple of the model's batch size:
   * each worker then runs the very batches the in-process model would, so vectors are identical.
   */
  sliceSize?: number;
  /**
   * Answers embedQuery in this thread. A single query gains nothing from a pool and a worker hop
   * would add to measured query latency. Without it, queries go to a worker.
   */
  queryEmbedder?: Embedder;
  /** Per-worker V8 heap limits (a WASM model's memory lies outside them). */
  resourceLimits?: ResourceLimits;
}

interface Slice {
  task: PoolTask;
  resolve(vectors: Float32Array[]): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  /** 1-based, for error messages. */
  number: number;
  busy: Slice | undefined;
}

/**
 * Runs copies of a registry embedder in worker threads, so embedding uses every core (a
 * TF.js WASM model uses one thread in Node). Each embedDocuments call is cut into slices that
 * idle workers take in turn; results come back in input order. Workers start on demand, up to
 * `size`, and do not keep the process alive while idle. A worker that crashes fails all
 * pending calls with an error naming the model; the next call starts fresh workers.
 */
export class PooledEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;
  readonly size: number;
  private readonly sliceSize: number;
  private slots: Slot[] = [];
  private queue: Slice[] = [];
  private started = 0;

  constructor(
    readonly model: PooledModelSpec,
    private readonly options: PooledEmbedderOptions,
  ) {
    this.id = options.id;
    this.dimensions = options.dimensions;
    this.size = options.size ?? availableParallelism();
    this.sliceSize = options.sliceSize ?? 16;
    for (const [field, value] of [['size', this.size], ['sliceSize', this.sliceSize]] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new InputError(`embedder pool for "${model.name}": ${field} must be a whole number ≥ 1, got ${value}`);
      }
    }
  }

  /** Worker threads running now (0 before the first call and after close). */
  get workers(): number {
    return this.slots.length;
  }

  async embedDocuments(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const parts: Promise<Float32Array[]>[] = [];
    for (let i = 0; i < texts.length; i += this.sliceSize) {
      parts.push(this.submit({ kind: 'documents', texts: texts.slice(i, i + this.sliceSize) }));
    }
    return (await Promise.all(parts)).flat();
  }

  async embedQuery(text: string): Promise<Float32Array> {
    if (this.options.queryEmbedder) return this.options.queryEmbedder.embedQuery(text);
    const [v] = await this.submit({ kind: 'query', texts: [text] });
    return v as Float32Array;
  }

  /** Stops every worker (pending calls are rejected) and frees the in-thread query model. */
  async close(): Promise<void> {
    const slots = this.slots;
    this.slots = [];
    this.failPending(slots, 'the pool was closed while embedding');
    await Promise.all(slots.map((s) => s.worker.terminate()));
    await this.options.queryEmbedder?.close?.();
  }

  private submit(task: PoolTask): Promise<Float32Array[]> {
    const done = new Promise<Float32Array[]>((resolve, reject) => this.queue.push({ task, resolve, reject }));
    this.dispatch();
    return done;
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      let slot = this.slots.find((s) => s.busy === undefined);
      try {
        slot ??= this.slots.length < this.size ? this.spawn() : undefined;
      } catch (e) {
        this.failPending(this.slots, `could not start a worker: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      if (!slot) return;
      const slice = this.queue.shift() as Slice;
      slot.busy = slice;
      slot.worker.ref(); // a pending result keeps the process alive
      slot.worker.postMessage(slice.task);
    }
  }

  private spawn(): Slot {
    const worker = new Worker(WORKER_ENTRY, {
      workerData: this.model,
      ...(this.options.resourceLimits !== undefined && { resourceLimits: this.options.resourceLimits }),
    });
    const slot: Slot = { worker, number: ++this.started, busy: undefined };
    worker.on('message', (reply: PoolReply) => this.settle(slot, reply));
    worker.on('error', (e) => this.crash(slot, `failed: ${e.message}`));
    worker.on('exit', (code) => this.crash(slot, `exited with code ${code}`));
    this.slots.push(slot);
    return slot;
  }

  private settle(slot: Slot, reply: PoolReply): void {
    const slice = slot.busy;
    slot.busy = undefined;
    slot.worker.unref();
    if (slice) {
      const expected = slice.task.texts.length;
      if (!reply.ok) slice.reject(this.error(slot, `failed: ${reply.error}`));
      else if (reply.id !== this.id || reply.dimensions !== this.dimensions || reply.count !== expected) {
        slice.reject(
          this.error(
            slot,
            `returned ${reply.count} ${reply.dimensions}-d vectors of "${reply.id}" for ${expected} texts; ` +
              `the pool expects ${this.dimensions}-d "${this.id}"`,
          ),
        );
      } else slice.resolve(unpack(reply.packed, reply.count, reply.dimensions));
    }
    this.dispatch();
  }

  /** A worker died (load error at start-up, out of memory, abort): fail fast rather than hang. */
  private crash(slot: Slot, what: string): void {
    if (!this.slots.includes(slot)) return; // closed, or already handled by its 'error' event
    const slots = this.slots;
    this.slots = [];
    this.failPending(slots, what, slot);
    for (const s of slots) if (s !== slot) void s.worker.terminate();
  }

  private failPending(slots: readonly Slot[], what: string, culprit?: Slot): void {
    const pending = [...slots.flatMap((s) => (s.busy ? [s.busy] : [])), ...this.queue];
    this.queue = [];
    for (const s of slots) s.busy = undefined;
    for (const p of pending) p.reject(culprit ? this.error(culprit, what) : new Error(`${this.prefix()}: ${what}`));
  }

  private prefix(): string {
    return `embedder pool for model "${this.model.name}"`;
  }

  private error(slot: Slot, what: string): Error {
    return new Error(`${this.prefix()}: worker ${slot.number} ${what}`);
  }
}

/** One standalone Float32Array per row, so callers may keep or transfer each vector. */
function unpack(packed: Float32Array, count: number, dimensions: number): Float32Array[] {
  return Array.from({ length: count }, (_, i) => packed.slice(i * dimensions, (i + 1) * dimensions));
}
