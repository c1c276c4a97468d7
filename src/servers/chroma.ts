import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { isRunning, LogTail, ownChild, portIsFree, spawnWatchdog, summarizeOutput, waitForExit } from './child.ts';
import { freePort } from './port.ts';
import type { ManagedServer, ServerOptions } from './types.ts';

export interface ChromaServerOptions extends ServerOptions {
  /** How long stop() waits after SIGTERM before SIGKILL (ms); Chroma exits within ~1-4 s. */
  stopTimeoutMs?: number;
  /**
   * For scripts/chroma-server.ts: the server outlives this process (no exit hook, no watchdog)
   * and writes its output to this file instead of a pipe.
   */
  detachedLogFile?: string;
}

/**
 * The `chroma` CLI of the installed chromadb package. Resolved from the package itself (its
 * `bin` is dist/cli.mjs beside the CommonJS entry's folder), not from the cwd, and run with
 * this Node: the PID we hold is the server itself, so SIGTERM/SIGKILL reach it (through npx they
 * would not).
 */
export function chromaCliPath(): string {
  const cjsEntry = createRequire(import.meta.url).resolve('chromadb'); // …/chromadb/dist/cjs/chromadb.cjs
  return join(dirname(dirname(cjsEntry)), 'cli.mjs');
}

/** The address a client uses for a server on this host and port. */
export function chromaUrl(host: string, port: number): string {
  return `http://${host}:${port}`;
}

/** Answers true when Chroma's heartbeat answers within `timeoutMs`. */
export async function chromaHeartbeat(url: string, timeoutMs = 1_000): Promise<boolean> {
  try {
    const response = await fetch(`${url}/api/v2/heartbeat`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

/** A real Chroma server (`chroma run`) on a loopback port, its data in a folder of its own. */
export class ChromaServer implements ManagedServer {
  readonly name = 'chroma';
  readonly host = '127.0.0.1';
  private child: ChildProcess | undefined;
  private readonly log = new LogTail();

  private constructor(
    readonly port: number,
    readonly dataDir: string,
    private readonly options: ChromaServerOptions,
  ) {}

  /** Picks the port (a free one unless given) and data folder (a new temporary one unless given). */
  static async create(options: ChromaServerOptions = {}): Promise<ChromaServer> {
    const port = options.port ?? (await freePort());
    const dataDir = options.dataDir ? resolve(options.dataDir) : mkdtempSync(join(tmpdir(), 'ragbench-chroma-'));
    mkdirSync(dataDir, { recursive: true });
    return new ChromaServer(port, dataDir, options);
  }

  get url(): string {
    return chromaUrl(this.host, this.port);
  }

  get pid(): number | undefined {
    return this.child && isRunning(this.child) ? this.child.pid : undefined;
  }

  /** What the server printed (the last 16 kB), for diagnosing a failed start. */
  output(): string {
    const file = this.options.detachedLogFile;
    if (file) {
      try {
        return readFileSync(file, 'utf8').slice(-16_000);
      } catch {
        return '';
      }
    }
    return this.log.toString();
  }

  async start(): Promise<void> {
    if (this.pid !== undefined) return;
    if (!(await portIsFree(this.port, this.host))) {
      throw new Error(`chroma: cannot start on ${this.url}: port ${this.port} is already in use (another server?)`);
    }
    const started = performance.now();
    const child = this.spawnServer();
    this.child = child;
    const spawnError = new Promise<Error>((resolveError) => child.once('error', resolveError));
    const deadline = started + (this.options.startTimeoutMs ?? 30_000);
    while (performance.now() < deadline) {
      const failed = await Promise.race([spawnError, new Promise<undefined>((r) => setTimeout(() => r(undefined), 100))]);
      if (failed) throw this.startError(`could not run ${chromaCliPath()}: ${failed.message}`);
      if (!isRunning(child)) {
        throw this.startError(`the server exited (${child.exitCode ?? child.signalCode}) before it answered`);
      }
      if (await chromaHeartbeat(this.url)) return;
    }
    child.kill('SIGKILL');
    await waitForExit(child, 5_000);
    throw this.startError(`no heartbeat within ${this.options.startTimeoutMs ?? 30_000} ms`);
  }

  private spawnServer(): ChildProcess {
    const args = [chromaCliPath(), 'run', '--path', this.dataDir, '--host', this.host, '--port', String(this.port)];
    const env = { ...process.env, ANONYMIZED_TELEMETRY: 'False' };
    const logFile = this.options.detachedLogFile;
    if (logFile) {
      const fd = openSync(logFile, 'a');
      try {
        const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', fd, fd] });
        child.unref();
        return child;
      } finally {
        closeSync(fd);
      }
    }
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (chunk: Buffer) => this.log.append(chunk));
    child.stderr?.on('data', (chunk: Buffer) => this.log.append(chunk));
    ownChild(child);
    if (child.pid !== undefined) spawnWatchdog(process.pid, child.pid);
    return child;
  }

  private startError(reason: string): Error {
    const tail = summarizeOutput(this.output());
    return new Error(`chroma: could not start a server on ${this.url} (data ${this.dataDir}): ${reason}${tail ? `\n--- server output ---\n${tail}` : ''}`);
  }

  /** SIGTERM and wait until the process is gone; SIGKILL if it has not exited within the bound. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !isRunning(child)) return;
    child.kill('SIGTERM');
    if (await waitForExit(child, this.options.stopTimeoutMs ?? 10_000)) return;
    child.kill('SIGKILL');
    if (!(await waitForExit(child, 5_000))) throw new Error(`chroma: server PID ${child.pid} survived SIGKILL`);
  }

  /** A crash: SIGKILL, no chance to flush. The data folder stays for restart(). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !isRunning(child)) return;
    child.kill('SIGKILL');
    if (!(await waitForExit(child, 5_000))) throw new Error(`chroma: server PID ${child.pid} survived SIGKILL`);
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }
}
