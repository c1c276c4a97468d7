import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, expect, it } from 'vitest';
import { pidAlive } from '../../src/servers/child.ts';
import { chromaHeartbeat } from '../../src/servers/chroma.ts';

const run = promisify(execFile);
const script = new URL('../../scripts/chroma-server.ts', import.meta.url).pathname;
const home = mkdtempSync(join(tmpdir(), 'ragbench-chroma-script-'));
const env = { ...process.env, RAGBENCH_CHROMA_DIR: home };
const chromaScript = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', script, ...args], { env, timeout: 60_000 }).catch(
    (e: { stdout: string; stderr: string; code: number }) => e,
  );

afterAll(async () => {
  await chromaScript('stop'); // even when a test failed half-way
  rmSync(home, { recursive: true, force: true });
}, 30_000);

it('starts a server that outlives the script, reports it, and stops it', async () => {
  const started = await chromaScript('start');
  expect(started.stdout).toMatch(/chroma is running at http:\/\/127\.0\.0\.1:\d+ \(PID \d+/);
  const state = JSON.parse(readFileSync(join(home, 'server.json'), 'utf8')) as { pid: number; url: string; dataDir: string };
  expect(state.dataDir).toBe(join(home, 'data'));
  // The script has exited; its server still answers.
  expect(await chromaHeartbeat(state.url)).toBe(true);
  expect((await chromaScript('status')).stdout).toContain(`chroma is running at ${state.url}`);
  expect((await chromaScript('start')).stdout).toContain(`chroma is already running at ${state.url}`);

  const stopped = await chromaScript('stop');
  expect(stopped.stdout).toContain(`chroma at ${state.url} stopped`);
  expect(pidAlive(state.pid)).toBe(false);
  const status = await chromaScript('status');
  expect(status.stdout).toContain('chroma is not running');
  expect((status as { code?: number }).code).toBe(1);
}, 90_000);

it('rejects a bad port and an unknown command with usage', async () => {
  const bad = await chromaScript('start', '--port', 'eighty');
  expect(bad.stderr).toContain('--port must be a port number, got eighty');
  expect((await chromaScript('launch')).stderr).toContain('usage: tsx scripts/chroma-server.ts start');
});
