import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { pidAlive } from '../../src/servers/child.ts';

/** Starts a child that starts a Chroma server; resolves with the server's PID once it runs. */
async function childWithServer(mode: 'throw' | 'hang') {
  const script = new URL('./start-chroma-and-die.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', script, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the child did not start a server within 60 s')), 60_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`the child exited (${code}) before its server ran`)));
  });
  return { child, server: JSON.parse(first) as { pid: number; dataDir: string } };
}

async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!pidAlive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !pidAlive(pid);
}

// No Chroma server outlives the process that started it, however that process ends.
describe('a process that started a Chroma server and dies', () => {
  it('by an uncaught error: its exit hook kills the server', async () => {
    const { child, server } = await childWithServer('throw');
    expect(pidAlive(server.pid)).toBe(true);
    await new Promise((resolve) => child.once('exit', resolve));
    expect(await goneWithin(server.pid, 5_000)).toBe(true);
  }, 90_000);

  it('by SIGKILL (no exit hook runs): the watchdog kills the server', async () => {
    const { child, server } = await childWithServer('hang');
    child.kill('SIGKILL');
    try {
      expect(await goneWithin(server.pid, 5_000)).toBe(true);
    } finally {
      if (pidAlive(server.pid)) process.kill(server.pid, 'SIGKILL');
      rmSync(server.dataDir, { recursive: true, force: true }); // its exit hook never ran
    }
  }, 90_000);
});
