/**
 * Runs a benchmark worker (a TypeScript file) in a child Node process with a hard wall-clock
 * bound, collecting its "@@<json>" event lines. A worker past its bound is SIGKILLed (servers it
 * started have watchdogs that stop them when it dies), and the events it sent so far are kept.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export interface WorkerOutcome {
  events: Record<string, unknown>[];
  /** Exit code, or null when killed. */
  code: number | null;
  killedAfterSeconds?: number;
  stderrTail: string;
}

export function runWorker(
  file: string,
  args: readonly string[],
  limitSeconds: number,
  onEvent: (event: Record<string, unknown>) => void = () => {},
): Promise<WorkerOutcome> {
  const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const events: Record<string, unknown>[] = [];
  let stderr = '';
  let killedAfterSeconds: number | undefined;
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith('@@')) return void console.log(`  | ${line}`);
    const event = JSON.parse(line.slice(2)) as Record<string, unknown>;
    events.push(event);
    onEvent(event);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    const text = chunk.toString();
    process.stderr.write(text.replace(/^(?=.)/gm, '  ! '));
    stderr = (stderr + text).slice(-4000);
  });
  const timer = setTimeout(() => {
    killedAfterSeconds = limitSeconds;
    child.kill('SIGKILL');
  }, limitSeconds * 1000);
  return new Promise((resolvePromise, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ events, code, stderrTail: stderr, ...(killedAfterSeconds !== undefined && { killedAfterSeconds }) });
    });
  });
}
