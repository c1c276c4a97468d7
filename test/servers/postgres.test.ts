import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/servers/port.ts';
import { findPostgresBinaries } from '../../src/servers/postgres-binaries.ts';
import { PostgresServer } from '../../src/servers/postgres.ts';
import { createStore } from '../../src/store/registry.ts';
import { randomUnitVectors } from '../store/data.ts';
import { usePostgres } from './postgres-fixture.ts';

// A real PostgreSQL, started, crashed and restarted here. Not installed → these tests fail with
// the message naming scripts/setup-pgvector.sh (they never skip).

function alive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
}

async function goneWithin(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && alive(pid)) await new Promise((r) => setTimeout(r, 50));
  return !alive(pid);
}

async function scalar(url: string, sql: string): Promise<unknown> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000, query_timeout: 10_000 });
  await client.connect();
  try {
    return Object.values((await client.query(sql)).rows[0] ?? {})[0];
  } finally {
    await client.end();
  }
}

describe('PostgresServer', () => {
  const running = usePostgres();

  it('runs on a loopback port with its cluster in its data folder and pgvector in its database', async () => {
    const s = running();
    expect(s.url).toBe(`postgres://postgres@127.0.0.1:${s.port}/ragbench`);
    expect(s.pid).toBe(Number(readFileSync(join(s.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]));
    expect(existsSync(join(s.dataDir, 'PG_VERSION'))).toBe(true);
    expect(await scalar(s.url, `SELECT extversion FROM pg_extension WHERE extname = 'vector'`)).toMatch(/^\d+\.\d+\.\d+$/);
    expect(await scalar(s.url, `SHOW listen_addresses`)).toBe('127.0.0.1');
    await expect(s.start()).rejects.toThrow(/postgres: already running \(pid \d+\)/);
  });

  it('killed (SIGKILL) mid-use: the store fails fast naming the address; restarted: the data is all there', async () => {
    const s = running();
    const store = await createStore('pgvector', 32, { url: s.url, table: 'crash', timeoutMs: 5_000 });
    try {
      const records = randomUnitVectors(2_000, 32, 3).map((vector, i) => ({ id: `c${i}`, vector, metadata: { documentId: `d${i % 7}` } }));
      await store.upsert(records);
      const q = records[0]?.vector as Float32Array;
      const before = await store.query(q, 10);
      const oldPid = s.pid as number;

      // A write in flight when the server dies: 20,000 rows take seconds, the kill comes after 300 ms.
      const inFlight = store.upsert(randomUnitVectors(20_000, 32, 4).map((vector, i) => ({ id: `late${i}`, vector })));
      const outcome = inFlight.then(() => 'written', () => 'failed');
      await new Promise((r) => setTimeout(r, 300));
      await s.kill();
      expect(await outcome).toBe('failed');
      expect(alive(oldPid)).toBe(false);
      expect(s.pid).toBeUndefined();
      const started = performance.now();
      await expect(inFlight).rejects.toThrow(/^pgvector at 127\.0\.0\.1:\d+ is not reachable/);
      await expect(store.query(q, 10)).rejects.toThrow(
        new RegExp(`^pgvector at 127\\.0\\.0\\.1:${s.port} is not reachable \\(.*\\): start one with node scripts/postgres-server\\.mjs start`),
      );
      expect(performance.now() - started).toBeLessThan(10_000);

      await s.restart(); // same port, same data: crash recovery replays the WAL
      expect(s.pid).not.toBe(oldPid);
      expect(await store.count()).toBe(records.length); // the interrupted upsert left nothing
      expect(await store.query(q, 10)).toEqual(before);
      expect((await store.get(['c5']))[0]?.metadata).toEqual({ documentId: 'd5' });
    } finally {
      await store.close();
    }
  });

  it('stops gracefully and restarts on the same port and data', async () => {
    const s = running();
    const store = await createStore('pgvector', 8, { url: s.url, table: 'graceful' });
    await store.upsert(randomUnitVectors(10, 8, 1).map((vector, i) => ({ id: `g${i}`, vector })));
    await store.close();
    const pid = s.pid as number;
    await s.stop();
    expect(await goneWithin(pid, 1_000)).toBe(true);
    await s.stop(); // stopping a stopped server is a no-op
    await s.restart();
    expect(await scalar(s.url, 'SELECT count(*)::int FROM graceful')).toBe(10);
  });
});

describe('PostgresServer set-up errors', () => {
  it('names the setup script when PostgreSQL is not installed', () => {
    const empty = mkdtempSync(join(tmpdir(), 'ragbench-nopg-'));
    try {
      expect(() => findPostgresBinaries('', { debianRoot: empty, path: empty })).toThrow(
        /PostgreSQL is not installed .*: install PostgreSQL and pgvector with sudo bash scripts\/setup-pgvector\.sh/,
      );
      expect(() => findPostgresBinaries(empty)).toThrow(`postgres: no initdb and pg_ctl in ${empty}`);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('names the setup script when the PostgreSQL it runs lacks pgvector, and leaves no server running', async () => {
    // A copy of the installed PostgreSQL without pgvector: PostgreSQL finds its share and lib
    // folders relative to its binary, so the same layout under another root is a complete install.
    const { binDir } = findPostgresBinaries();
    const where = (flag: string): string => execFileSync(join(binDir, 'pg_config'), [flag], { encoding: 'utf8' }).trim();
    const root = mkdtempSync(join(tmpdir(), 'ragbench-novector-'));
    const [bin, share, lib] = [where('--bindir'), where('--sharedir'), where('--pkglibdir')].map((dir) => join(root, dir)) as [string, string, string];
    try {
      mkdirSync(bin, { recursive: true });
      for (const b of ['initdb', 'pg_ctl', 'postgres']) copyFileSync(join(where('--bindir'), b), join(bin, b));
      for (const b of ['initdb', 'pg_ctl', 'postgres']) chmodSync(join(bin, b), 0o755);
      cpSync(where('--sharedir'), share, { recursive: true, filter: (f) => !/\/extension\/vector[^/]*$/.test(f) });
      mkdirSync(lib, { recursive: true });
      for (const f of readdirSync(where('--pkglibdir'))) if (!f.startsWith('vector')) symlinkSync(join(where('--pkglibdir'), f), join(lib, f));
      execFileSync('chmod', ['-R', 'a+rX', root]); // as root, PostgreSQL runs as the postgres user
      const s = await PostgresServer.create({ binDir: bin });
      try {
        await expect(s.start()).rejects.toThrow(
          /^postgres: the pgvector extension is not installed for the PostgreSQL in .* \(extension "vector" is not available\): install it with sudo bash scripts\/setup-pgvector\.sh$/,
        );
        expect(s.pid).toBeUndefined();
      } finally {
        await s.dispose();
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('prefers the newest installed version that has pgvector', () => {
    const found = findPostgresBinaries();
    expect(found.binDir).toMatch(/\/bin$/);
    if (found.version !== undefined) expect(found.hasPgvector).toBe(true);
  });

  it('refuses a data folder that is neither empty nor a cluster', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ragbench-notpg-'));
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    try {
      const s = await PostgresServer.create({ dataDir: dir });
      await expect(s.start()).rejects.toThrow(`postgres: data folder ${dir} is neither empty nor a PostgreSQL cluster`);
      expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('names the port and the log when the server cannot start (port taken)', async () => {
    const first = await PostgresServer.create();
    await first.start();
    const dir = join(tmpdir(), `ragbench-pg-clash-${process.pid}`);
    mkdirSync(dir);
    const second = await PostgresServer.create({ port: first.port, dataDir: dir });
    try {
      await expect(second.start()).rejects.toThrow(
        new RegExp(`postgres: could not start on 127\\.0\\.0\\.1:${first.port} [\\s\\S]*server log:[\\s\\S]*(already in use|lock file)`),
      );
    } finally {
      await first.dispose();
      await second.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** Starts a child that starts a server; resolves with the server's PID and data folder once it runs. */
async function childWithServer(mode: 'throw' | 'hang') {
  const script = new URL('./start-postgres-and-die.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, ['--import', 'tsx', script, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
  const first = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the child did not start a server within 60 s')), 60_000);
    createInterface({ input: child.stdout }).once('line', (line) => {
      clearTimeout(timer);
      resolve(line);
    });
    child.once('exit', (code) => reject(new Error(`the child exited (${code}) before its server ran`)));
  });
  return { child, server: JSON.parse(first) as { pid: number; dataDir: string } };
}

// No postmaster outlives the process that started it, however that process ends.
describe('a process that started a PostgreSQL server and dies', () => {
  for (const mode of ['throw', 'hang'] as const) {
    it(`${mode === 'throw' ? 'by an uncaught error' : 'by SIGKILL'}: the watchdog stops the server and removes its temporary data`, async () => {
      const { child, server } = await childWithServer(mode);
      try {
        expect(alive(server.pid)).toBe(true);
        if (mode === 'hang') child.kill('SIGKILL');
        await new Promise((resolve) => (child.exitCode === null && child.signalCode === null ? child.once('exit', resolve) : resolve(null)));
        expect(await goneWithin(server.pid, 10_000)).toBe(true);
        const deadline = Date.now() + 5_000;
        while (existsSync(server.dataDir) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        expect(existsSync(server.dataDir)).toBe(false);
      } finally {
        if (alive(server.pid)) process.kill(-server.pid, 'SIGKILL');
        rmSync(server.dataDir, { recursive: true, force: true });
      }
    }, 90_000);
  }
});

describe('scripts/postgres-server.mjs', () => {
  const script = new URL('../../scripts/postgres-server.mjs', import.meta.url).pathname;
  function run(...args: string[]): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (out += d.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
      child.once('error', reject);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, out });
      });
    });
  }

  it('starts a server that outlives it, prints its URL, reports its status and stops it', async () => {
    const data = mkdtempSync(join(tmpdir(), 'ragbench-pg-script-'));
    const port = String(await freePort());
    try {
      const started = await run('start', '--port', port, '--data', data);
      expect(started.out).toContain(`postgres is running at postgres://postgres@127.0.0.1:${port}/ragbench`);
      expect(started.code).toBe(0);
      const url = `postgres://postgres@127.0.0.1:${port}/ragbench`;
      expect(await scalar(url, `SELECT count(*)::int FROM pg_extension WHERE extname = 'vector'`)).toBe(1);
      expect((await run('start', '--port', port, '--data', data)).out).toContain('already running');
      expect((await run('status', '--data', data)).out).toContain(`running at ${url}`);
      const stopped = await run('stop', '--data', data);
      expect(stopped.out).toContain('postgres stopped');
      expect((await run('status', '--data', data)).out).toContain('no postgres server runs');
      expect((await run('start', '--port', 'x')).code).toBe(2);
    } finally {
      await run('stop', '--data', data);
      rmSync(data, { recursive: true, force: true });
    }
  }, 120_000);
});
