#!/usr/bin/env node
/**
 * A PostgreSQL + pgvector server for use outside the tests (the tests and suites start their own):
 *
 *   node scripts/postgres-server.mjs start [--port N] [--data DIR]   # prints the connection URL
 *   node scripts/postgres-server.mjs status [--data DIR]
 *   node scripts/postgres-server.mjs stop [--data DIR]
 *
 * On 127.0.0.1, port 55432 unless --port is given (the `pgvector` store's default, so a suite
 * needs no options), its cluster in $TMPDIR/ragbench-postgres unless --data is given (a folder
 * the `postgres` user can reach when you are root). The server outlives this script; `stop` and
 * `status` find it through the folder's postmaster.pid. Install PostgreSQL and pgvector first:
 * sudo bash scripts/setup-pgvector.sh. Exit codes: 0 done, 2 bad arguments, 3 failed.
 */
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

register(); // the server code is TypeScript
const { PostgresServer } = await import('../src/servers/postgres.ts');
const { DEFAULT_PGVECTOR_PORT } = await import('../src/store/pgvector.ts');

const USAGE = 'usage: node scripts/postgres-server.mjs start [--port N] [--data DIR] | status [--data DIR] | stop [--data DIR]';

/** postmaster.pid: PID, data folder, start time, port, … — while the server runs. */
function running(dataDir) {
  const file = join(dataDir, 'postmaster.pid');
  if (!existsSync(file)) return undefined;
  const [pid, , , port] = readFileSync(file, 'utf8').split('\n').map((l) => l.trim());
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (!cmdline.includes(dataDir)) return undefined; // a stale file whose PID was reused
  } catch {
    return undefined; // no such process (or no /proc: start will sort it out)
  }
  return { pid: Number(pid), port: Number(port), url: `postgres://postgres@127.0.0.1:${port}/ragbench` };
}

async function main(argv) {
  const [command, ...rest] = argv;
  let values;
  try {
    ({ values } = parseArgs({ args: rest, options: { port: { type: 'string' }, data: { type: 'string' } } }));
  } catch (error) {
    console.error(`${error.message}\n${USAGE}`);
    return 2;
  }
  const dataDir = resolve(values.data ?? process.env.RAGBENCH_PG_DATA ?? join(tmpdir(), 'ragbench-postgres'));
  const port = values.port === undefined ? DEFAULT_PGVECTOR_PORT : Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    console.error(`--port must be a port number, got ${values.port}`);
    return 2;
  }
  const now = running(dataDir);
  switch (command) {
    case 'start': {
      if (now) {
        console.log(`postgres is already running at ${now.url} (PID ${now.pid}, data ${dataDir})`);
        return 0;
      }
      const server = await PostgresServer.create({ dataDir, port, stopWithProcess: false });
      const started = performance.now();
      await server.start();
      console.log(`postgres is running at ${server.url} (PID ${server.pid}, started in ${Math.round(performance.now() - started)} ms)`);
      console.log(`data: ${server.dataDir}\nlog:  ${server.logFile}`);
      console.log(`use it: --store '{name: pgvector, url: ${server.url}}'${port === DEFAULT_PGVECTOR_PORT ? '   (or just --store pgvector: this is its default address)' : ''}`);
      console.log(`stop it: node scripts/postgres-server.mjs stop${values.data ? ` --data ${dataDir}` : ''}`);
      return 0;
    }
    case 'status':
      console.log(now ? `postgres is running at ${now.url} (PID ${now.pid}, data ${dataDir})` : `no postgres server runs on ${dataDir}`);
      return 0;
    case 'stop': {
      if (!now) {
        console.log(`no postgres server runs on ${dataDir}`);
        return 0;
      }
      const server = await PostgresServer.create({ dataDir, port: now.port, stopWithProcess: false });
      await server.stop();
      console.log(`postgres stopped (PID ${now.pid}); its data stays in ${dataDir}`);
      return 0;
    }
    default:
      console.error(USAGE);
      return 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 3;
}
