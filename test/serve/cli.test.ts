import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadServiceConfig } from '../../src/serve/config.ts';
import { InputError } from '../../src/util/errors.ts';
import { cacheDir, HTTP_TIMEOUT_MS, MINI_DOCS, post } from './helpers.ts';

const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
});

function serve(args: string[]): { child: ChildProcess; stderr: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['bin/ragbench.js', 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout?.resume();
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, stderr: () => err, exited };
}

async function waitFor(read: () => string, pattern: RegExp, ms: number): Promise<RegExpExecArray> {
  const deadline = Date.now() + ms;
  for (;;) {
    const m = pattern.exec(read());
    if (m) return m;
    if (Date.now() > deadline) throw new Error(`no ${pattern} within ${ms} ms; stderr:\n${read()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function configFile(text: string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'ragbench-serve-cfg-')), 'service.yml');
  await writeFile(file, text);
  return file;
}

describe('ragbench serve (the CLI)', () => {
  it('prints its address and readiness, answers /query with citations, exits 0 on SIGTERM', async () => {
    const file = await configFile(`documents: [${JSON.stringify(MINI_DOCS)}]\npipeline:\n  cacheDir: ${JSON.stringify(await cacheDir())}\n`);
    const run = serve(['--config', file, '--port', '0', '--log-level', 'warn']);
    const [, address] = await waitFor(run.stderr, /ready on (http:\/\/127\.0\.0\.1:\d+): 3 documents/, 90_000);
    const r = await post(address as string, '/query', { question: 'When was the Greyhaven light first lit?', k: 2 });
    expect(r.status).toBe(200);
    const hits = r.body.hits as { citation: { doc: string; page: number; quote: string } }[];
    expect(hits).toHaveLength(2);
    expect(hits[0]?.citation).toMatchObject({ doc: 'Greyhaven_Lighthouse', page: 1 });
    expect(hits[0]?.citation.quote).toContain('1874');
    run.child.kill('SIGTERM');
    expect(await run.exited).toBe(0);
    expect(run.stderr()).toContain('SIGTERM: finishing requests in flight');
    await expect(fetch(`${address}/health`, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) })).rejects.toThrow();
  });

  it('refuses an invalid config with exit 2, naming the file and the field', async () => {
    const file = await configFile('server:\n  maxConcurrentQueries: 0\n');
    const run = serve(['--config', file, '--port', '0']);
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toContain(`${file}: server.maxConcurrentQueries: Too small`);
    const bad = await configFile('pipeline:\n  store: { name: consensus, backends: [ { store: nosuch } ] }\n');
    const second = serve(['--config', bad, '--port', '0']);
    expect(await second.exited).toBe(2);
    expect(second.stderr()).toContain('unknown vector store "nosuch"');
  });
});

describe('config/production.yml', () => {
  it('is valid: the consensus router over three in-process backends, the production limits', async () => {
    const config = await loadServiceConfig('config/production.yml');
    expect(config.server).toMatchObject({ maxConcurrentQueries: 32, requestTimeoutMs: 10_000 });
    expect(config.cache).toMatchObject({ maxBytes: 64 * 1024 * 1024, cacheableUnderMs: 2000 });
    expect(config.pipeline.store).toMatchObject({ name: 'consensus', query: { settle: 'quorum' } });
    expect(config.documents[0]).toMatch(/golden\/squad-dev\/docs$/);
  });

  it('names a missing file', async () => {
    await expect(loadServiceConfig('config/nope.yml')).rejects.toThrowError(new InputError('config/nope.yml: cannot read config: ENOENT'));
  });
});
