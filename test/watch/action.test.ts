import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../src/servers/port.ts';
import { InputError } from '../../src/util/errors.ts';
import { callWebhook, runAction, runCommand } from '../../src/watch/action.ts';
import { appendAudit, readAudit } from '../../src/watch/audit.ts';
import { AUDIT_VERSION, type AuditRecord } from '../../src/watch/schema.ts';

describe('the rollback command', () => {
  it('runs argv without a shell and keeps the exit code, the output and the firing in its environment', async () => {
    const r = await runCommand([process.execPath, '-e', 'console.log("out $HOME;", process.env.RAGBENCH_TRIGGER); console.error("err"); process.exit(7)'], 10_000, { RAGBENCH_TRIGGER: 'p95' });
    expect(r).toMatchObject({ exitCode: 7, signal: null, timedOut: false, stdout: 'out $HOME; p95\n', stderr: 'err\n' });
  });

  it('kills a command at its timeout, and reports one that cannot start', async () => {
    const slow = await runCommand([process.execPath, '-e', 'setTimeout(() => {}, 60_000)'], 300);
    expect(slow).toMatchObject({ exitCode: null, signal: 'SIGTERM', timedOut: true });
    expect(slow.durationMs).toBeLessThan(5000);
    const missing = await runCommand(['/nonexistent/rollback'], 1000);
    expect(missing).toMatchObject({ exitCode: null, error: expect.stringContaining('ENOENT') });
  });
});

describe('the rollback webhook', () => {
  let server: Server;
  let url: string;
  const received: unknown[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.writeHead(req.url === '/fail' ? 500 : 204).end();
      });
    });
    const port = await freePort();
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    url = `http://127.0.0.1:${port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('POSTs the firing with the command outcome; a failing command or hook makes the action not ok', async () => {
    const ok = await runAction({ command: ['true'], timeoutSeconds: 10, webhook: { url: `${url}/hook`, timeoutMs: 5000 } }, { trigger: 'p95', service: 'http://x' });
    expect(ok).toMatchObject({ ok: true, command: { exitCode: 0 }, webhook: { status: 204 } });
    expect(received.at(-1)).toMatchObject({ trigger: 'p95', service: 'http://x', command: { argv: ['true'], exitCode: 0 } });
    expect((await runAction({ command: ['false'], timeoutSeconds: 10 }, { trigger: 't', service: 's' })).ok).toBe(false);
    expect((await runAction({ timeoutSeconds: 10, webhook: { url: `${url}/fail`, timeoutMs: 5000 } }, { trigger: 't', service: 's' })).ok).toBe(false);
  });

  it('reports a hook nobody answers, within its timeout', async () => {
    const port = await freePort();
    const r = await callWebhook(`http://127.0.0.1:${port}/`, 2000, {});
    expect(r).toMatchObject({ status: null, error: 'ECONNREFUSED' });
  });
});

describe('the audit log', () => {
  const record: AuditRecord = {
    version: AUDIT_VERSION,
    time: new Date(0).toISOString(),
    service: 'http://127.0.0.1:1',
    trigger: 'p95',
    metric: 'p95_latency_seconds',
    comparison: 'above',
    value: 0.45,
    threshold: 0.3,
    windowSeconds: 3,
    coveredSeconds: 3.2,
    samples: 40,
    minSamples: 10,
    consecutive: 2,
    action: { ok: true, command: { argv: ['true'], exitCode: 0, signal: null, timedOut: false, durationMs: 3, stdout: '', stderr: '' } },
  };

  it('appends JSON lines that read back against the schema', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'ragbench-audit-')), 'audit.jsonl');
    await appendAudit(file, record);
    await appendAudit(file, { ...record, trigger: 'errors', metric: 'error_rate', value: 0.5, threshold: 0.02 });
    expect((await readFile(file, 'utf8')).split('\n')).toHaveLength(3);
    expect((await readAudit(file)).map((r) => r.trigger)).toEqual(['p95', 'errors']);
  });

  it('names the line of a bad record', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'ragbench-audit-')), 'audit.jsonl');
    await writeFile(file, `${JSON.stringify(record)}\n${JSON.stringify({ ...record, version: 2 })}\n`);
    await expect(readAudit(file)).rejects.toThrowError(InputError);
    await expect(readAudit(file)).rejects.toThrowError(`${file}: line 2: version: Invalid input: expected 1`);
  });
});
