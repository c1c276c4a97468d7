/**
 * A real server the project starts itself (Chroma, PostgreSQL) on a free loopback port with its
 * data in a folder of its own: tests, suites and `scripts/` use the same code to start it, stop
 * it, and — for fault scenarios — kill it and bring it back on the same port and data.
 */
export interface ManagedServer {
  /** e.g. "chroma", "postgres". */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  /** How a client reaches it (http://… for Chroma, postgres://… for PostgreSQL). */
  readonly url: string;
  /** Where its data lives; it survives kill() and restart(). */
  readonly dataDir: string;
  /** PID of the server process while it runs. */
  readonly pid: number | undefined;
  /** Starts it and waits until it answers (bounded); rejects naming what failed and its log. */
  start(): Promise<void>;
  /** Graceful stop (SIGTERM or the server's own stop command), waiting until the process is gone. */
  stop(): Promise<void>;
  /** SIGKILL: a crash, as a fault scenario injects it. */
  kill(): Promise<void>;
  /** Starts it again after stop() or kill(), on the same port and data. */
  restart(): Promise<void>;
}

export interface ServerOptions {
  /** Data folder; a fresh temporary folder when absent. */
  dataDir?: string;
  /** Port; a free loopback port when absent. */
  port?: number;
  /** How long start() may wait for the server to answer (ms). */
  startTimeoutMs?: number;
}
