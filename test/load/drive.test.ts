import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as hdr from 'hdr-histogram-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drive } from '../../src/load/drive.ts';

let server: Server;
let url: string;
const bodies: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      if (req.method === 'POST') bodies.push(body);
      res.writeHead(req.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

const base = { connections: 2, seconds: 30, timeoutSeconds: 5, keepSamples: 10, seed: 1 };

describe('one load step with autocannon', () => {
  it('stops at its request bound and times the step to its last response, not to autocannon\'s next one-second tick', async () => {
    const r = await drive({ ...base, url, target: { method: 'GET', path: '/health' }, maxRequests: 50 });
    expect(r.requests).toBe(50);
    expect(r.statusCodes).toEqual({ 200: 50 });
    // 50 loopback requests take milliseconds; counting to autocannon's tick would make it >= 1 s.
    expect(r.seconds).toBeLessThan(0.95);
    expect(r.rps).toBeCloseTo(50 / r.seconds, 6);
    expect(r.samplesMs).toHaveLength(10);
    expect(hdr.decodeFromCompressedBase64(r.histogram).totalCount).toBe(50);
  });

  it('sends each request the next question of its source, and counts non-2xx answers', async () => {
    bodies.length = 0;
    let n = 0;
    const r = await drive({ ...base, url, target: { method: 'POST', path: '/query', question: () => `question ${n++}` }, maxRequests: 20 });
    expect(r.requests).toBe(20);
    expect(new Set(bodies).size).toBe(20);
    expect(bodies.map((b) => (JSON.parse(b) as { question: string }).question)).toContain('question 0');
    const missing = await drive({ ...base, url, target: { method: 'GET', path: '/missing' }, maxRequests: 10 });
    expect([missing.non2xx, missing.statusCodes]).toEqual([10, { 404: 10 }]);
  });

  it('ends a time-bounded step at its time', async () => {
    const r = await drive({ ...base, url, target: { method: 'GET', path: '/health' }, seconds: 0.5, maxRequests: Number.MAX_SAFE_INTEGER });
    expect(r.requests).toBeGreaterThan(0);
    expect(r.seconds).toBeGreaterThan(0.4);
    expect(r.seconds).toBeLessThan(2);
  });
});
