import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** Servers this process started and still owns: killed when it exits, so none outlives it. */
const owned = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // 'exit' handlers must be synchronous: process.kill is.
  process.on('exit', () => {
    for (const child of owned) if (isRunning(child)) child.kill('SIGKILL');
  });
}

/** Registers a child to be killed when this process exits normally or by an uncaught error. */
export function ownChild(child: ChildProcess): void {
  installExitHook();
  owned.add(child);
  child.once('exit', () => owned.delete(child));
}

export function isRunning(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/**
 * The 'exit' hook does not run when this process dies by a signal (SIGKILL, an unhandled
 * SIGTERM). A tiny detached watchdog covers that: it kills the server once its parent is gone,
 * and leaves on its own when the server stops first.
 */
export function spawnWatchdog(parentPid: number, childPid: number): void {
  const script = `
    const [parent, child] = process.argv.slice(1).map(Number);
    const alive = (pid) => { try { process.kill(pid, 0); return true; } catch { return false; } };
    setInterval(() => {
      if (!alive(child)) process.exit(0);
      if (!alive(parent)) { try { process.kill(child, 'SIGKILL'); } catch {} process.exit(0); }
    }, 500);`;
  const watchdog = spawn(process.execPath, ['-e', script, String(parentPid), String(childPid)], {
    detached: true,
    stdio: 'ignore',
  });
  watchdog.unref();
}

/** Resolves when the child has exited, or false after `ms`. */
export function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (!isRunning(child)) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.off('exit', onExit);
      resolve(false);
    }, ms);
    const onExit = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    child.once('exit', onExit);
  });
}

/** Whether a process with this PID exists (signal 0 only checks). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** SIGTERM, then SIGKILL if the process is still there after `graceMs`; resolves once it is gone. */
export async function terminatePid(pid: number, graceMs: number): Promise<'stopped' | 'killed' | 'not running'> {
  if (!pidAlive(pid)) return 'not running';
  process.kill(pid, 'SIGTERM');
  if (await pollUntil(() => !pidAlive(pid), graceMs)) return 'stopped';
  process.kill(pid, 'SIGKILL');
  await pollUntil(() => !pidAlive(pid), 5_000);
  return 'killed';
}

async function pollUntil(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (done()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return done();
}

/** Whether nothing listens on host:port now (a server must not answer for another one). */
export function portIsFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/** The last `limit` characters of a server's output, ANSI colours removed, for error messages. */
export class LogTail {
  private text = '';
  constructor(private readonly limit = 16_000) {}

  append(chunk: Buffer | string): void {
    this.text = (this.text + chunk.toString()).slice(-this.limit);
  }

  toString(): string {
    // eslint-disable-next-line no-control-regex
    return this.text.replace(/\x1b\[[0-9;]*m/g, '').trim();
  }
}

/** A server's output cut to its last meaningful lines (a panic's message, not its stack frames). */
export function summarizeOutput(output: string, lines = 10): string {
  return output
    // eslint-disable-next-line no-control-regex
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^\s*(\d+: |at )/.test(line))
    .slice(-lines)
    .join('\n');
}
