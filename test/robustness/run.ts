import { execFile } from 'node:child_process';

export interface Finished {
  /** Exit code; null when the process was killed (see `signal`). */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node <args>` from the repository root and resolves with how it ended; never rejects.
 * A process still running after `timeoutMs` is killed, so a hang fails the test that waits.
 */
export function runNode(args: readonly string[], timeoutMs: number): Promise<Finished> {
  return new Promise((resolve) => {
    execFile(process.execPath, args, { timeout: timeoutMs, maxBuffer: 1 << 26 }, (err, stdout, stderr) => {
      const e = err as (Error & { code?: number | string; signal?: NodeJS.Signals }) | null;
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, signal: e?.signal ?? null, stdout, stderr });
    });
  });
}

/** `ragbench <args>` through bin/ragbench.js, as a user runs it. */
export const ragbench = (args: readonly string[], timeoutMs = 120_000): Promise<Finished> => runNode(['bin/ragbench.js', ...args], timeoutMs);
