import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HTTP_TIMEOUT_MS, MINI_DOCS, post } from '../serve/helpers.ts';

export interface Child {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** `node bin/ragbench.js <args>` with its output collected. */
export function ragbench(args: string[]): Child {
  const child = spawn(process.execPath, ['bin/ragbench.js', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

export async function waitFor(read: () => string, pattern: RegExp, ms: number): Promise<RegExpExecArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = pattern.exec(read());
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${ms} ms; output:\n${read()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A service config over the mini golden set with the given store; dense retrieval, so a lying store changes the answers. */
export async function serviceConfig(dir: string, name: string, store: unknown, cacheDir: string): Promise<string> {
  const file = join(dir, `${name}.yml`);
  const config = { documents: [MINI_DOCS], pipeline: { retriever: 'dense', store, cacheDir } };
  await writeFile(file, JSON.stringify(config, null, 2)); // JSON is YAML
  return file;
}

/**
 * Traffic: `concurrency` clients asking unique questions (so the result cache hides nothing),
 * or `distinct` questions in turn (so it answers most), until stopped. Failures (the service
 * restarting) are counted, not thrown.
 */
export function drive(base: string, concurrency: number, distinct?: number): { stop: () => Promise<void>; sent: () => number; failed: () => number } {
  let running = true;
  let sent = 0;
  let failed = 0;
  let n = 0;
  const client = async (): Promise<void> => {
    while (running) {
      const i = distinct === undefined ? n++ : n++ % distinct;
      sent++;
      try {
        const r = await fetch(`${base}/query`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ question: `Which tide or light is meant in question ${i}?`, k: 3 }),
          signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
        });
        await r.arrayBuffer();
        if (r.status !== 200) failed++;
      } catch {
        failed++;
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  };
  const clients = Array.from({ length: concurrency }, client);
  return {
    stop: async () => {
      running = false;
      await Promise.all(clients);
    },
    sent: () => sent,
    failed: () => failed,
  };
}

/** The hits the service answers for each question, computed now (noCache). */
export async function answersOf(base: string, questions: readonly string[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const question of questions) {
    const r = await post(base, '/query', { question, k: 3, noCache: true });
    if (r.status !== 200) throw new Error(`${base}/query answered ${r.status}: ${JSON.stringify(r.body)}`);
    out.push(r.body.hits);
  }
  return out;
}
