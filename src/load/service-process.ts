import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isRunning, ownChild, spawnWatchdog, waitForExit } from '../servers/child.ts';
import type { StatsSnapshot } from '../serve/stats.ts';

const CLI = fileURLToPath(new URL('../../bin/ragbench.js', import.meta.url));
const READY = /ready on (http:\/\/[^\s:]+:\d+):/;
const HTTP_TIMEOUT_MS = 10_000;

export interface ServiceProcessOptions {
  configFile: string;
  /** The service's stdout (JSON logs) and stderr go here. */
  logFile: string;
  /** How long loading the index may take before start() gives up. */
  readyTimeoutMs?: number;
}

/**
 * `ragbench serve` in a child process, as a deployment runs it: the load generator in this
 * process measures it over loopback, and its memory and event loop are its own. Killed with
 * this process (exit hook and watchdog), so an interrupted suite leaves no server behind.
 */
export class ServiceProcess {
  private child: ChildProcess | undefined;
  private stderr = '';
  url = '';
  readySeconds = 0;

  constructor(private readonly options: ServiceProcessOptions) {}

  async start(): Promise<void> {
    const started = performance.now();
    const log = createWriteStream(this.options.logFile);
    const child = spawn(process.execPath, [CLI, 'serve', '--config', this.options.configFile, '--port', '0', '--log-level', 'warn'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    ownChild(child);
    if (child.pid !== undefined) spawnWatchdog(process.pid, child.pid);
    child.stdout?.pipe(log);
    child.stderr?.on('data', (d: Buffer) => {
      this.stderr += d.toString();
      log.write(d);
    });
    const timeoutMs = this.options.readyTimeoutMs ?? 600_000;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const m = READY.exec(this.stderr);
      if (m) {
        this.url = m[1] as string;
        break;
      }
      if (!isRunning(child)) throw new Error(`ragbench serve exited (code ${child.exitCode}) before it was ready:\n${this.tail()}`);
      if (Date.now() > deadline) {
        await this.stop();
        throw new Error(`ragbench serve was not ready within ${timeoutMs / 1000} s (log: ${this.options.logFile}):\n${this.tail()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    this.readySeconds = (performance.now() - started) / 1000;
  }

  private tail(): string {
    return this.stderr.split('\n').slice(-15).join('\n');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The service's figures since its last reset (GET /stats). */
  async stats(): Promise<StatsSnapshot> {
    return this.call('GET', '/stats');
  }

  /** Starts a new measurement window; returns the figures of the one that ended. */
  async resetStats(): Promise<StatsSnapshot> {
    return this.call('POST', '/stats/reset');
  }

  private async call(method: string, path: string): Promise<StatsSnapshot> {
    const response = await fetch(`${this.url}${path}`, { method, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
    if (!response.ok) throw new Error(`${method} ${this.url}${path}: HTTP ${response.status}`);
    return (await response.json()) as StatsSnapshot;
  }

  /** SIGTERM (in-flight requests finish), SIGKILL if it has not exited after 30 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !isRunning(child)) return;
    child.kill('SIGTERM');
    if (!(await waitForExit(child, 30_000))) {
      child.kill('SIGKILL');
      await waitForExit(child, 5_000);
    }
  }
}
