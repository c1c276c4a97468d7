import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadServiceConfig } from '../../src/serve/config.ts';
import { startService } from '../../src/serve/server.ts';
import { freePort } from '../../src/servers/port.ts';
import { readAudit } from '../../src/watch/audit.ts';
import { cacheDir } from '../serve/helpers.ts';
import { answersOf, drive, ragbench, serviceConfig, waitFor, type Child } from './helpers.ts';

const ROLLBACK = resolve('test/watch/fixtures/rollback.mjs');
const QUESTIONS = ['When was the Greyhaven light first lit?', 'How many steps lead up to the lantern room?', 'What did the Greyhaven lamp burn before it was electrified?'];
const WINDOW_SECONDS = 2;
const POLL_SECONDS = 0.5;

const children: Child[] = [];
let pidFile: string | undefined;
let load: ReturnType<typeof drive> | undefined;

afterAll(async () => {
  await load?.stop();
  for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
  // The baseline the rollback script started (detached): its pid is in the pid file.
  const pid = pidFile ? Number((await readFile(pidFile, 'utf8').catch(() => '')).trim()) : 0;
  if (pid > 0) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

describe('ragbench watch end to end', () => {
  it('rolls a slow, lying candidate back to the baseline: the p95 trigger fires within its window, the script swaps the service, the audit keeps it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ragbench-watch-e2e-'));
    const cache = await cacheDir();
    const baselineFile = await serviceConfig(dir, 'baseline', 'faiss-flat', cache);
    // 400 ms on every query and the nearest chunks of the wrong documents: slow and wrong.
    const candidateFile = await serviceConfig(dir, 'candidate', { name: 'faulty', store: 'faiss-flat', slow: { latencyMs: 400, operations: ['query'] }, byzantine: { mode: 'other-document' } }, cache);

    // What the baseline answers, from a service of its own.
    const baselineConfig = await loadServiceConfig(baselineFile);
    const reference = await startService({ config: { ...baselineConfig, server: { ...baselineConfig.server, port: 0 } } });
    let expected: unknown[];
    try {
      await reference.loaded;
      expected = await answersOf(reference.address, QUESTIONS);
    } finally {
      await reference.close();
    }

    const port = await freePort();
    const candidate = ragbench(['serve', '--config', candidateFile, '--port', String(port), '--log-level', 'warn']);
    children.push(candidate);
    const [, base] = (await waitFor(candidate.stderr, /ready on (http:\/\/127\.0\.0\.1:\d+):/, 90_000)) as unknown as [string, string];
    pidFile = join(dir, 'service.pid');
    await writeFile(pidFile, String(candidate.child.pid));
    expect(await answersOf(base, QUESTIONS)).not.toEqual(expected);

    const rulesFile = join(dir, 'rules.yml');
    const auditFile = join(dir, 'audit.jsonl');
    const rules = {
      version: 1,
      pollSeconds: POLL_SECONDS,
      consecutive: 2,
      service: { timeoutMs: 3000, maxUnreachableSeconds: 30 },
      triggers: [
        { name: 'p95-latency', metric: 'p95_latency_seconds', comparison: 'above', threshold: 0.3, windowSeconds: WINDOW_SECONDS, minSamples: 8 },
        { name: 'error-rate', metric: 'error_rate', comparison: 'above', threshold: 0.5, windowSeconds: WINDOW_SECONDS, minSamples: 8 },
      ],
      action: {
        command: [process.execPath, ROLLBACK, '--pid-file', pidFile, '--port', String(port), '--config', baselineFile, '--log', join(dir, 'baseline.log')],
        timeoutSeconds: 120,
      },
    };
    await writeFile(rulesFile, JSON.stringify(rules));

    load = drive(base, 4);
    const started = Date.now();
    const watch = ragbench(['watch', '--service', base, '--rules', rulesFile, '--audit', auditFile]);
    children.push(watch);
    const code = await watch.exited;
    await load.stop();
    expect(code, `${watch.stdout()}\n${watch.stderr()}`).toBe(1);

    const lines = watch.stdout().trim().split('\n');
    expect(lines[0]).toContain('p95-latency insufficient data (window:');
    expect(lines.some((l) => /p95-latency BREACH \d+\.\d ms \(fires > 300\.0 ms\) n=\d+ \(1\/2\)/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/p95-latency BREACH .* \(2\/2\) \| error-rate ok 0\.000 .* \| FIRED p95-latency: rollback ok \(exit 0\)$/);
    expect(watch.stderr()).toContain('rolled-back: trigger p95-latency fired');

    const [record, ...more] = await readAudit(auditFile);
    expect(more).toHaveLength(0);
    expect(record).toMatchObject({ version: 1, service: base, trigger: 'p95-latency', metric: 'p95_latency_seconds', threshold: 0.3, windowSeconds: WINDOW_SECONDS, minSamples: 8, consecutive: 2 });
    expect(record?.value).toBeGreaterThan(0.3);
    expect(record?.samples).toBeGreaterThanOrEqual(8);
    expect(record?.coveredSeconds).toBeGreaterThanOrEqual(WINDOW_SECONDS);
    // Fired once the window was covered and two polls had breached: window + 2 polls, with slack for a busy machine.
    expect(Date.parse(record?.time ?? '') - started).toBeLessThan((WINDOW_SECONDS + 2 * POLL_SECONDS + 8) * 1000);
    expect(record?.action).toMatchObject({ ok: true, command: { exitCode: 0, timedOut: false, stdout: expect.stringMatching(/stopping candidate pid \d+ \(trigger p95-latency\)[\s\S]*baseline pid \d+ ready/) } });

    expect(await candidate.exited).toBe(0); // stopped by the script's SIGTERM, gracefully
    expect(await answersOf(base, QUESTIONS)).toEqual(expected);
  }, 240_000);
});
