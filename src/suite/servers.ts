import { ChromaServer } from '../servers/chroma.ts';
import { PostgresServer } from '../servers/postgres.ts';
import type { ManagedServer } from '../servers/types.ts';
import { registerServerHooks, serverHooks } from '../store/consensus/faults.ts';
import { InputError } from '../util/errors.ts';
import type { ResolvedRun } from './matrix.ts';

/** The servers a suite may start itself (`servers: [chroma, postgres]`). */
export const SERVER_KINDS = ['chroma', 'postgres'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];

/** Address a store spec's `server: <kind>` becomes; placeholders before the servers run (validation). */
type Addresses = Record<ServerKind, string>;
const PLACEHOLDERS: Addresses = { chroma: 'http://127.0.0.1:1', postgres: 'postgres://postgres@127.0.0.1:1/ragbench' };

/**
 * Replaces every `server: <kind>` in a store spec — nested too, as in a consensus router's
 * backends or a fault wrapper's store — with the `url` of that running server.
 */
export function withServerUrls<T>(spec: T, addresses: Addresses = PLACEHOLDERS, where = 'store'): T {
  if (Array.isArray(spec)) return spec.map((s, i) => withServerUrls(s, addresses, `${where}.${i}`)) as T;
  if (spec === null || typeof spec !== 'object') return spec;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'server' && typeof value === 'string') out.url = addresses[serverKind(value, `${where}.server`)];
    // A fault's `crash: { server: kill, target }` names an action, not an address.
    else out[key] = key === 'crash' ? value : withServerUrls(value, addresses, `${where}.${key}`);
  }
  return out as T;
}

function serverKind(value: string, where: string): ServerKind {
  if (!(SERVER_KINDS as readonly string[]).includes(value)) {
    throw new InputError(`${where}: "${value}" is not a server the suite can start (known: ${SERVER_KINDS.join(', ')})`);
  }
  return value as ServerKind;
}

/** Server kinds a run's store refers to (`server: <kind>` anywhere in its spec). */
export function serversUsed(run: ResolvedRun): Set<ServerKind> {
  const used = new Set<ServerKind>();
  const walk = (v: unknown, where: string): void => {
    if (Array.isArray(v)) return v.forEach((x, i) => walk(x, `${where}.${i}`));
    if (v === null || typeof v !== 'object') return;
    for (const [key, value] of Object.entries(v)) {
      if (key === 'server' && typeof value === 'string') used.add(serverKind(value, `${where}.server`));
      else if (key !== 'crash') walk(value, `${where}.${key}`);
    }
  };
  walk(run.store, 'store');
  return used;
}

/** Server kinds any of these store specs refers to. */
export function serversOfSpecs(specs: readonly unknown[]): Set<ServerKind> {
  const used = new Set<ServerKind>();
  for (const spec of specs) for (const kind of serversUsed({ store: spec } as unknown as ResolvedRun)) used.add(kind);
  return used;
}

/**
 * The real servers of a suite, started before its runs on free loopback ports with temporary
 * data, registered for fault scenarios (`crash: { server: kill, target: chroma }`), stopped after.
 */
export class SuiteServers {
  private readonly running = new Map<ServerKind, ManagedServer & { dispose?(): Promise<void> }>();
  private readonly unregister: (() => void)[] = [];

  async start(kinds: Iterable<ServerKind>): Promise<void> {
    for (const kind of kinds) {
      if (this.running.has(kind)) continue;
      const server = kind === 'chroma' ? await ChromaServer.create() : await PostgresServer.create();
      await server.start();
      this.running.set(kind, server);
      this.unregister.push(registerServerHooks(kind, serverHooks(server)));
    }
  }

  /** A running server, for scenarios that act on it (kill and restart PostgreSQL mid-migration). */
  get(kind: ServerKind): ManagedServer | undefined {
    return this.running.get(kind);
  }

  /** The stores' addresses: each started server's url. */
  addresses(): Addresses {
    const url = (kind: ServerKind): string => this.running.get(kind)?.url ?? PLACEHOLDERS[kind];
    return { chroma: url('chroma'), postgres: url('postgres') };
  }

  /** After a run: a server a fault scenario killed is brought back for the next run. */
  async ensureUp(): Promise<void> {
    for (const server of this.running.values()) {
      if (server.pid === undefined) await server.restart();
    }
  }

  async stop(): Promise<void> {
    for (const u of this.unregister.splice(0)) u();
    for (const server of this.running.values()) {
      await server.stop().catch(() => undefined);
      await server.dispose?.().catch(() => undefined);
    }
    this.running.clear();
  }
}
