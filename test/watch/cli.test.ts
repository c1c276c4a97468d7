import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/servers/port.ts';
import { cacheDir } from '../serve/helpers.ts';
import { ragbench, serviceConfig, waitFor, type Child } from './helpers.ts';

const children: Child[] = [];
afterAll(() => {
  for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
});

function run(args: string[]): Child {
  const c = ragbench(args);
  children.push(c);
  return c;
}

async function rulesFile(rules: unknown): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'ragbench-watch-cli-')), 'rules.yml');
  await writeFile(file, typeof rules === 'string' ? rules : JSON.stringify(rules));
  return file;
}

const P95 = { name: 'p95', metric: 'p95_latency_seconds', comparison: 'above', threshold: 2, windowSeconds: 1, minSamples: 5 };

describe('ragbench watch (the CLI)', () => {
  it('refuses bad rules with exit 2, naming the file and the field', async () => {
    const file = await rulesFile('version: 1\ntriggers:\n  - { name: p95, metric: p95_latency_seconds, comparison: above, threshold: 2, windowSeconds: 60, minSamples: 0 }\naction: { command: [true] }\n');
    const watch = run(['watch', '--service', 'http://127.0.0.1:9', '--rules', file]);
    expect(await watch.exited).toBe(2);
    expect(watch.stderr()).toContain(`${file}: triggers.0.minSamples: Too small`);
    const bad = run(['watch', '--service', 'localhost:8080', '--rules', file]);
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toContain('--service: expected http:// or https://');
  });

  it('--once on a live service: one poll, exit 0; then a service that goes down is reported on every poll, and exits 3 once the outage is longer than the rules allow', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ragbench-watch-cli-'));
    const port = await freePort();
    const serve = run(['serve', '--config', await serviceConfig(dir, 'service', 'faiss-flat', await cacheDir()), '--port', String(port), '--log-level', 'warn']);
    const [, base] = (await waitFor(serve.stderr, /ready on (http:\/\/127\.0\.0\.1:\d+):/, 90_000)) as unknown as [string, string];
    const file = await rulesFile({ version: 1, pollSeconds: 0.3, service: { timeoutMs: 2000, maxUnreachableSeconds: 1.5 }, triggers: [P95], action: { command: ['true'] } });
    const once = run(['watch', '--service', base, '--rules', file, '--once']);
    expect(await once.exited).toBe(0);
    expect(once.stdout()).toMatch(/^\d\d:\d\d:\d\d poll 1 \| p95 insufficient data \(window: 0\.0 s of 1 s watched\)\n$/);
    const watch = run(['watch', '--service', base, '--rules', file]);
    await waitFor(watch.stdout, /poll 3 \|/, 30_000);
    serve.child.kill('SIGKILL');
    const killedAt = Date.now();
    expect(await watch.exited).toBe(3);
    const seconds = (Date.now() - killedAt) / 1000;
    expect(seconds).toBeGreaterThan(1.5);
    expect(watch.stdout()).toMatch(/poll \d+ UNREACHABLE \d+\.\d s \(http:\/\/127\.0\.0\.1:\d+\/metrics: ECONNREFUSED\) \| p95 insufficient data \(service unreachable\)/);
    expect(watch.stderr()).toMatch(/ragbench watch: unreachable: service unreachable for \d+\.\d s \(the rules allow 1\.5 s\)/);
  }, 120_000);

  it('--once on a dead service: exit 3; SIGTERM within the allowed outage: a clean stop, exit 0', async () => {
    const file = await rulesFile({ version: 1, pollSeconds: 1, triggers: [P95], action: { command: ['true'] } });
    const service = `http://127.0.0.1:${await freePort()}`;
    const dead = run(['watch', '--service', service, '--rules', file, '--once']);
    expect(await dead.exited).toBe(3);
    expect(dead.stderr()).toContain('ECONNREFUSED');
    const watch = run(['watch', '--service', service, '--rules', file]);
    await waitFor(watch.stdout, /poll 1 UNREACHABLE/, 30_000);
    watch.child.kill('SIGTERM');
    expect(await watch.exited).toBe(0);
    expect(watch.stderr()).toContain('ragbench watch: stopped: stopped by signal');
  });
});
