/**
 * A Chroma server for use outside the tests (the tests and suites start their own):
 *
 *   npx tsx scripts/chroma-server.ts start [--port N] [--path DIR]   # prints the address
 *   npx tsx scripts/chroma-server.ts status
 *   npx tsx scripts/chroma-server.ts stop
 *
 * The server is the chromadb package's own (`chroma run`), on 127.0.0.1, on a free port unless
 * --port is given, its data in .chroma/data unless --path is given. Its PID, address and log
 * are kept in .chroma/ (server.json, server.log; $RAGBENCH_CHROMA_DIR moves it), so `stop`
 * finds it from any shell.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ChromaServer } from '../src/servers/chroma.ts';
import { pidAlive, terminatePid } from '../src/servers/child.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
// RAGBENCH_CHROMA_DIR moves the state (and default data) elsewhere: the script's test uses it.
const stateDir = resolve(process.env.RAGBENCH_CHROMA_DIR ?? join(repoRoot, '.chroma'));
const stateFile = join(stateDir, 'server.json');
const logFile = join(stateDir, 'server.log');

interface State {
  pid: number;
  url: string;
  dataDir: string;
  logFile: string;
}

function readState(): State | undefined {
  if (!existsSync(stateFile)) return undefined;
  return JSON.parse(readFileSync(stateFile, 'utf8')) as State;
}

/** The recorded PID is still our Chroma server (not a process that reused its number). */
function isOurServer(pid: number): boolean {
  if (!pidAlive(pid)) return false;
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('cli.mjs');
  } catch {
    return true; // no /proc (macOS): trust the PID file
  }
}

async function start(args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { port: { type: 'string' }, path: { type: 'string' } } });
  const running = readState();
  if (running && isOurServer(running.pid)) {
    console.log(`chroma is already running at ${running.url} (PID ${running.pid}, data ${running.dataDir})`);
    return 0;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65_535)) {
    console.error(`--port must be a port number, got ${values.port}`);
    return 2;
  }
  mkdirSync(stateDir, { recursive: true });
  const server = await ChromaServer.create({
    dataDir: resolve(values.path ?? join(stateDir, 'data')),
    detachedLogFile: logFile,
    ...(port !== undefined && { port }),
  });
  const started = performance.now();
  await server.start();
  const state: State = { pid: server.pid as number, url: server.url, dataDir: server.dataDir, logFile };
  writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
  console.log(`chroma is running at ${server.url} (PID ${state.pid}, started in ${Math.round(performance.now() - started)} ms)`);
  console.log(`data: ${server.dataDir}\nlog:  ${logFile}`);
  console.log(`use it: export CHROMA_URL=${server.url}   or   --store '{name: chroma, url: ${server.url}}'`);
  console.log('stop it: npm run chroma:stop');
  return 0;
}

async function stop(): Promise<number> {
  const state = readState();
  if (!state) {
    console.log(`no chroma server recorded in ${stateFile}`);
    return 0;
  }
  if (!isOurServer(state.pid)) {
    console.log(`chroma (PID ${state.pid}) is not running any more`);
  } else {
    const how = await terminatePid(state.pid, 10_000);
    console.log(`chroma at ${state.url} ${how === 'killed' ? 'did not stop on SIGTERM within 10 s and was killed' : 'stopped'}`);
  }
  rmSync(stateFile, { force: true });
  return 0;
}

function status(): number {
  const state = readState();
  if (state && isOurServer(state.pid)) {
    console.log(`chroma is running at ${state.url} (PID ${state.pid}, data ${state.dataDir})`);
    return 0;
  }
  console.log('chroma is not running (start it: npm run chroma:start)');
  return 1;
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === 'start') process.exitCode = await start(rest);
  else if (command === 'stop') process.exitCode = await stop();
  else if (command === 'status') process.exitCode = status();
  else {
    console.error('usage: tsx scripts/chroma-server.ts start [--port N] [--path DIR] | status | stop');
    process.exitCode = 2;
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 3;
}
