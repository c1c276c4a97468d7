/**
 * The rollback action: a command (argv, no shell, killed at its timeout, exit code and output
 * kept) and/or a webhook (POST of the firing as JSON, with a timeout). Never throws: the outcome
 * says what happened, and the audit log keeps it.
 */
import { spawn } from 'node:child_process';
import type { Rules } from './rules.ts';
import type { ActionOutcome, CommandOutcome, WebhookOutcome } from './schema.ts';

/** Output kept per stream: the end, where a script says how it finished. */
const KEEP_CHARS = 4096;
/** After SIGTERM at the timeout, SIGKILL this much later if the command is still there. */
const KILL_GRACE_MS = 2000;

const tail = (s: string): string => (s.length > KEEP_CHARS ? s.slice(-KEEP_CHARS) : s);

export function runCommand(argv: readonly string[], timeoutMs: number, env: Record<string, string> = {}): Promise<CommandOutcome> {
  const started = performance.now();
  const [file, ...args] = argv as [string, ...string[]];
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let error: string | undefined;
    const child = spawn(file, args, { shell: false, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    child.stdout.on('data', (d: Buffer) => (stdout = tail(stdout + d.toString())));
    child.stderr.on('data', (d: Buffer) => (stderr = tail(stderr + d.toString())));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'), KILL_GRACE_MS).unref();
    }, timeoutMs);
    child.on('error', (e) => (error = e.message));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        argv: [...argv],
        // A command that could not start has no exit code (node reports the errno there).
        exitCode: error === undefined ? code : null,
        signal,
        timedOut,
        durationMs: Math.round(performance.now() - started),
        stdout,
        stderr,
        ...(error !== undefined && { error }),
      });
    });
  });
}

export async function callWebhook(url: string, timeoutMs: number, payload: unknown): Promise<WebhookOutcome> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.arrayBuffer();
    return { url, status: res.status, durationMs: Math.round(performance.now() - started) };
  } catch (e) {
    const why = e instanceof Error ? ((e.cause as { code?: string } | undefined)?.code ?? e.message) : String(e);
    return { url, status: null, durationMs: Math.round(performance.now() - started), error: why };
  }
}

/**
 * Runs the configured action once: the command first (it rolls back), then the webhook (it tells
 * people, with the command's outcome). The command gets the firing in its environment
 * (RAGBENCH_TRIGGER, RAGBENCH_SERVICE).
 */
export async function runAction(action: Rules['action'], firing: { trigger: string; service: string } & Record<string, unknown>): Promise<ActionOutcome> {
  const command = action.command ? await runCommand(action.command, action.timeoutSeconds * 1000, { RAGBENCH_TRIGGER: firing.trigger, RAGBENCH_SERVICE: firing.service }) : undefined;
  const webhook = action.webhook ? await callWebhook(action.webhook.url, action.webhook.timeoutMs, { ...firing, ...(command && { command }) }) : undefined;
  const ok = (command === undefined || command.exitCode === 0) && (webhook === undefined || (webhook.status !== null && webhook.status >= 200 && webhook.status < 300));
  return { ok, ...(command && { command }), ...(webhook && { webhook }) };
}
