import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { quoteIdentifier } from '../store/pgvector-sql.ts';
import { findPostgresBinaries, PGVECTOR_SETUP_HINT, type PostgresBinaries } from './postgres-binaries.ts';
import { freePort } from './port.ts';
import type { ManagedServer, ServerOptions } from './types.ts';

export interface PostgresServerOptions extends ServerOptions {
  /** PostgreSQL's bin folder; default: $RAGBENCH_PG_BIN, else the newest /usr/lib/postgresql/<version>/bin. */
  binDir?: string;
  /** The database created on first start, with the vector extension in it. */
  database?: string;
  /**
   * Default true: a watchdog stops the server (and removes a temporary data folder) when this
   * process dies without stopping it, even by SIGKILL. scripts/postgres-server.mjs sets false:
   * there the server outlives the script.
   */
  stopWithProcess?: boolean;
}

/** The superuser initdb creates; local connections are trusted (loopback only). */
const SUPERUSER = 'postgres';
const COMMAND_TIMEOUT_MS = 60_000;
const CONNECT_TIMEOUT_MS = 5_000;

interface CommandResult {
  code: number;
  output: string;
}

/** Runs a command to completion (bounded); never rejects: the caller words the error. */
function run(file: string, args: readonly string[], timeoutMs = COMMAND_TIMEOUT_MS): Promise<CommandResult> {
  return new Promise((done) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      const output = `${stdout}${stderr}`.trim();
      if (!error) return done({ code: 0, output });
      const code = typeof error.code === 'number' ? error.code : -1;
      done({ code, output: output || error.message });
    });
  });
}

/** The state letter of /proc/<pid>/stat ("R", "S", "Z"…), its process group, or undefined when there is no such process. */
function procStat(pid: number): { state: string; pgrp: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // the name may hold spaces and parentheses
    return { state: fields[0] ?? '', pgrp: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

const HAS_PROC = existsSync('/proc/self/stat');

/**
 * Whether the process runs. A zombie does not: where PID 1 reaps orphans late (some container
 * inits take seconds), a dead postmaster lingers as one and still answers kill(pid, 0).
 */
function pidAlive(pid: number): boolean {
  if (HAS_PROC) {
    const stat = procStat(pid);
    return stat !== undefined && stat.state !== 'Z';
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether any live (non-zombie) process of this process group is left. */
function groupAlive(pgid: number): boolean {
  if (!HAS_PROC) return pidAlive(-pgid);
  return readdirSync('/proc').some((name) => {
    if (!/^\d+$/.test(name)) return false;
    const stat = procStat(Number(name));
    return stat !== undefined && stat.pgrp === pgid && stat.state !== 'Z';
  });
}

async function waitUntil(done: () => boolean, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 25));
  }
  return true;
}

/**
 * Kills the postmaster's process group once the process that started it is gone: its stdin is a
 * pipe from that process, and the pipe closes however it dies (SIGKILL included). A shell, not
 * Node: it idles in `read` at no cost. SIGQUIT is PostgreSQL's immediate shutdown.
 */
const WATCHDOG = `
read -r _ || true
kill -s QUIT "$1" 2>/dev/null
i=0
while kill -0 "$1" 2>/dev/null && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i+1)); done
kill -s KILL -- "-$1" 2>/dev/null
if [ -n "$2" ]; then rm -rf -- "$2"; fi
`;

/**
 * Temporary data folders of servers that are not running (never started, stopped, killed) when
 * this process exits are removed then; a running server's watchdog removes its own.
 */
const temporaryServers = new Set<PostgresServer>();
process.once('exit', () => {
  for (const server of temporaryServers) if (server.pid === undefined) rmSync(server.dataDir, { recursive: true, force: true });
});

/**
 * A real PostgreSQL (initdb + pg_ctl) on a loopback port, its cluster in a folder of its own,
 * with the pgvector extension created in its database. As root, initdb and pg_ctl run as the
 * `postgres` user (initdb refuses root).
 */
export class PostgresServer implements ManagedServer {
  readonly name = 'postgres';
  readonly host = '127.0.0.1';
  readonly database: string;
  private postmasterPid: number | undefined;
  private watchdog: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly dataDir: string,
    private readonly binaries: PostgresBinaries,
    /** We made the data folder (a temporary one): dispose() and the watchdog remove it. */
    private readonly temporary: boolean,
    private readonly options: PostgresServerOptions,
  ) {
    this.database = options.database ?? 'ragbench';
    quoteIdentifier(this.database, 'database');
    if (temporary) temporaryServers.add(this);
  }

  /** Finds the binaries and picks the port (free unless given) and data folder (a new temporary one unless given); starts nothing. */
  static async create(options: PostgresServerOptions = {}): Promise<PostgresServer> {
    const binaries = findPostgresBinaries(options.binDir);
    if (options.dataDir?.match(/['\n]/)) throw new Error(`postgres: data folder ${options.dataDir} must not contain quotes or newlines`);
    const port = options.port ?? (await freePort());
    const dataDir = options.dataDir ? resolve(options.dataDir) : mkdtempSync(join(tmpdir(), 'ragbench-pg-'));
    return new PostgresServer(port, dataDir, binaries, options.dataDir === undefined, options);
  }

  /** Connection string for clients: trusted superuser on loopback. */
  get url(): string {
    return `postgres://${SUPERUSER}@${this.host}:${this.port}/${this.database}`;
  }

  get pid(): number | undefined {
    return this.postmasterPid !== undefined && pidAlive(this.postmasterPid) ? this.postmasterPid : undefined;
  }

  get logFile(): string {
    return join(this.dataDir, 'server.log');
  }

  /** The last lines of the server's log, for error messages. */
  logTail(lines = 15): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no server log)';
    }
  }

  /** initdb on first use, then pg_ctl start (waits until it accepts connections), then the database and extension. */
  async start(): Promise<void> {
    if (this.pid !== undefined) throw new Error(`postgres: already running (pid ${this.pid}) on ${this.host}:${this.port}`);
    this.prepareDataDir();
    if (!existsSync(join(this.dataDir, 'PG_VERSION'))) await this.initdb();
    this.clearStaleLockFiles();
    const timeoutS = Math.ceil((this.options.startTimeoutMs ?? 30_000) / 1000);
    const started = await this.pgCtl([
      '-D', this.dataDir,
      '-o', `-k '${this.dataDir}' -h ${this.host} -p ${this.port}`,
      '-l', this.logFile,
      '-w', '-t', String(timeoutS),
      'start',
    ], (timeoutS + 5) * 1000);
    if (started.code !== 0) {
      throw new Error(`postgres: could not start on ${this.host}:${this.port} (data ${this.dataDir}): ${started.output}\nserver log:\n${this.logTail()}`);
    }
    this.postmasterPid = this.readPidFile();
    if (this.options.stopWithProcess !== false && this.postmasterPid !== undefined) this.startWatchdog(this.postmasterPid);
    try {
      await this.ensureDatabase();
    } catch (error) {
      await this.stop().catch(() => this.kill()); // a start that fails leaves no server behind
      throw error;
    }
  }

  /** pg_ctl's fast shutdown (rolls back open transactions), waiting until the server is gone. */
  async stop(): Promise<void> {
    this.stopWatchdog();
    const pid = this.postmasterPid ?? this.readPidFile();
    if (pid === undefined || !pidAlive(pid)) {
      this.postmasterPid = undefined;
      return;
    }
    // -W and our own wait: pg_ctl's wait counts an unreaped (zombie) postmaster as running.
    const stopped = await this.pgCtl(['-D', this.dataDir, '-m', 'fast', '-W', 'stop'], 10_000);
    if (stopped.code !== 0 && pidAlive(pid)) {
      throw new Error(`postgres: pg_ctl stop failed on ${this.dataDir}: ${stopped.output}\nserver log:\n${this.logTail()}`);
    }
    if (!(await waitUntil(() => !pidAlive(pid) && !groupAlive(pid), 30_000))) {
      throw new Error(`postgres: still running 30 s after a fast shutdown request (pid ${pid}, data ${this.dataDir})\nserver log:\n${this.logTail()}`);
    }
    this.postmasterPid = undefined;
  }

  /**
   * A crash: SIGKILL to the postmaster and its backends (its process group: pg_ctl starts it
   * with setsid), as an OOM kill or a lost machine would. Waits until every process is gone.
   */
  async kill(): Promise<void> {
    this.stopWatchdog();
    const pid = this.postmasterPid ?? this.readPidFile();
    this.postmasterPid = undefined;
    if (pid === undefined || !pidAlive(pid)) return;
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      process.kill(pid, 'SIGKILL'); // not a group leader after all: the postmaster alone
    }
    if (!(await waitUntil(() => !pidAlive(pid) && !groupAlive(pid), 10_000))) {
      throw new Error(`postgres: processes of pid ${pid} still alive 10 s after SIGKILL`);
    }
  }

  /** Starts again on the same port and data (after stop() or kill(): crash recovery replays the WAL). */
  async restart(): Promise<void> {
    if (this.pid !== undefined) await this.stop();
    await this.start();
  }

  /** Stops the server and removes the data folder when it is a temporary one this object made. */
  async dispose(): Promise<void> {
    try {
      await this.stop();
    } catch (error) {
      await this.kill();
      throw error;
    } finally {
      if (this.temporary) rmSync(this.dataDir, { recursive: true, force: true });
      temporaryServers.delete(this);
    }
  }

  private asRoot(): boolean {
    return process.getuid?.() === 0;
  }

  /** initdb and pg_ctl run as `postgres` when we are root (PostgreSQL refuses to run as root). */
  private runServerCommand(binary: string, args: readonly string[], timeoutMs?: number): Promise<CommandResult> {
    const path = join(this.binaries.binDir, binary);
    return this.asRoot() ? run('runuser', ['-u', SUPERUSER, '--', path, ...args], timeoutMs) : run(path, args, timeoutMs);
  }

  private pgCtl(args: readonly string[], timeoutMs: number): Promise<CommandResult> {
    return this.runServerCommand('pg_ctl', args, timeoutMs);
  }

  private prepareDataDir(): void {
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    if (!existsSync(join(this.dataDir, 'PG_VERSION')) && readdirSync(this.dataDir).length > 0) {
      throw new Error(`postgres: data folder ${this.dataDir} is neither empty nor a PostgreSQL cluster: choose another --data folder`);
    }
    if (!this.asRoot()) return;
    const ids = postgresUserIds();
    chownSync(this.dataDir, ids.uid, ids.gid);
  }

  private async initdb(): Promise<void> {
    // --no-sync: a fresh cluster need not be flushed to disk (only an OS crash could lose it).
    const result = await this.runServerCommand('initdb', [
      '-D', this.dataDir, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync',
    ]);
    if (result.code !== 0) {
      const access = this.asRoot() && /Permission denied/i.test(result.output)
        ? ` (as root, initdb runs as the ${SUPERUSER} user, who must be able to reach ${this.dataDir}: choose a folder outside /root, e.g. under /tmp)`
        : '';
      throw new Error(`postgres: initdb failed in ${this.dataDir}${access}: ${result.output.split('\n').slice(-8).join('\n')}`);
    }
  }

  /** The PID on the first line of a lock file in the data folder, when the file exists. */
  private readLockPid(file = 'postmaster.pid'): number | undefined {
    try {
      const pid = Number(readFileSync(join(this.dataDir, file), 'utf8').split('\n')[0]);
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  private readPidFile(): number | undefined {
    return this.readLockPid();
  }

  /**
   * After a kill, postmaster.pid and the socket's lock file (.s.PGSQL.<port>.lock, in the data
   * folder here) stay behind. PostgreSQL ignores them when their PID is gone, but refuses while it
   * is an unreaped zombie or reused by an unrelated process: remove them unless they name a live
   * postmaster of this very folder.
   */
  private clearStaleLockFiles(): void {
    const locks = ['postmaster.pid', ...readdirSync(this.dataDir).filter((f) => /^\.s\.PGSQL\.\d+\.lock$/.test(f))];
    for (const file of locks) {
      const pid = this.readLockPid(file);
      if (pid !== undefined && pidAlive(pid)) {
        let cmdline: string;
        try {
          cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
        } catch {
          continue; // no /proc: leave it to PostgreSQL's own check
        }
        if (cmdline.includes('postgres') && cmdline.includes(this.dataDir)) {
          throw new Error(`postgres: a server (pid ${pid}) already runs on ${this.dataDir}: stop it first (node scripts/postgres-server.mjs stop --data ${this.dataDir})`);
        }
      }
      rmSync(join(this.dataDir, file), { force: true });
    }
  }

  private startWatchdog(pid: number): void {
    const removeDir = this.temporary ? this.dataDir : '';
    const watchdog = spawn('sh', ['-c', WATCHDOG, 'ragbench-pg-watchdog', String(pid), removeDir], {
      detached: true, // its own session: a Ctrl-C aimed at us does not kill it before it acts
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    watchdog.unref();
    (watchdog.stdin as Socket | null)?.unref();
    watchdog.stdin?.on('error', () => {}); // EPIPE if it died: nothing to do
    this.watchdog = watchdog;
  }

  private stopWatchdog(): void {
    const watchdog = this.watchdog;
    this.watchdog = undefined;
    if (watchdog?.pid !== undefined && watchdog.exitCode === null) watchdog.kill('SIGKILL');
  }

  /** Creates the database and the vector extension in it when missing (every start: both are idempotent). */
  private async ensureDatabase(): Promise<void> {
    const connect = async (database: string): Promise<pg.Client> => {
      const client = new pg.Client({
        host: this.host, port: this.port, user: SUPERUSER, database,
        connectionTimeoutMillis: CONNECT_TIMEOUT_MS, query_timeout: COMMAND_TIMEOUT_MS,
      });
      client.on('error', () => {}); // a server killed under an idle client: the next query reports it
      await client.connect();
      return client;
    };
    const admin = await connect('postgres');
    try {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [this.database]);
      if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${quoteIdentifier(this.database, 'database')}`);
    } finally {
      await admin.end();
    }
    const db = await connect(this.database);
    try {
      await db.query('CREATE EXTENSION IF NOT EXISTS vector');
    } catch (error) {
      throw new Error(
        `postgres: the pgvector extension is not installed for the PostgreSQL in ${this.binaries.binDir} ` +
          `(${(error as Error).message}): install it with ${PGVECTOR_SETUP_HINT}`,
        { cause: error },
      );
    } finally {
      await db.end();
    }
  }
}

/** uid/gid of the `postgres` system user (created by Debian's postgresql package). */
function postgresUserIds(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${SUPERUSER}:`));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) {
    throw new Error(`postgres: running as root needs the "${SUPERUSER}" system user to run PostgreSQL as: install PostgreSQL with ${PGVECTOR_SETUP_HINT}`);
  }
  return { uid: Number(uid), gid: Number(gid) };
}
