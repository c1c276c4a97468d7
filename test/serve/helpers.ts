import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Tracer } from '@opentelemetry/api';
import { pino } from 'pino';
import { parseServiceConfig, type ServiceConfigInput } from '../../src/serve/config.ts';
import { startService, type RunningService } from '../../src/serve/server.ts';

export const MINI_DOCS = resolve('test/fixtures/golden-mini/docs');
export const BAD_PDFS = resolve('test/fixtures/bad-pdfs');

/** Every request of the tests gives up after this: a dead server fails a test, never hangs it. */
export const HTTP_TIMEOUT_MS = 20_000;

let sharedCacheDir: Promise<string> | undefined;
/** One embedding cache per test file: the second service of a file reads the first one's vectors. */
export function cacheDir(): Promise<string> {
  sharedCacheDir ??= mkdtemp(join(tmpdir(), 'ragbench-serve-test-'));
  return sharedCacheDir;
}

export interface TestService extends RunningService {
  /** The JSON log lines written so far. */
  logs: Record<string, unknown>[];
}

/** The real service on a free loopback port over the mini golden set, ingested and ready. */
export async function startTestService(
  overrides: Omit<ServiceConfigInput, 'documents'> & { documents?: string[] } = {},
  tracer?: Tracer,
): Promise<TestService> {
  const logs: Record<string, unknown>[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const config = parseServiceConfig(
    {
      documents: [MINI_DOCS],
      ...overrides,
      server: { port: 0, ...overrides.server },
      pipeline: { cacheDir: await cacheDir(), ...overrides.pipeline },
    },
    'test config',
  );
  const service = await startService({ config, logger, ...(tracer && { tracer }) });
  await service.loaded;
  return Object.assign(service, { logs });
}

export interface Answer {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function answer(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    body = { text };
  }
  return { status: res.status, headers: res.headers, body };
}

export async function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal: AbortSignal.timeout(HTTP_TIMEOUT_MS),
  });
  return answer(res);
}

export async function get(base: string, path: string): Promise<Answer> {
  return answer(await fetch(`${base}${path}`, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) }));
}

export async function getText(base: string, path: string): Promise<string> {
  const res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  return res.text();
}

/** Uploads a PDF (or any bytes) as multipart form data, field `file`, with an optional `id` field. */
export async function upload(base: string, bytes: Uint8Array, filename: string, id?: string): Promise<Answer> {
  const form = new FormData();
  if (id !== undefined) form.append('id', id);
  form.append('file', new Blob([bytes], { type: 'application/pdf' }), filename);
  const res = await fetch(`${base}/documents`, { method: 'POST', body: form, signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
  return answer(res);
}

export async function uploadFile(base: string, file: string, id?: string): Promise<Answer> {
  return upload(base, new Uint8Array(await readFile(file)), file.split('/').pop() as string, id);
}
