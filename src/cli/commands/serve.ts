import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { pino } from 'pino';
import { defaultServiceConfig, loadServiceConfig, type ServiceConfig } from '../../serve/config.ts';
import { startService } from '../../serve/server.ts';
import { InputError } from '../../util/errors.ts';
import { EXIT } from '../exit.ts';

/** The repository root: the default corpus is found wherever the command runs from. */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`--port: expected 0-65535 (0: any free port), got "${value}"`);
  return port;
}

const LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('answer queries over HTTP (POST /query, POST /documents, GET /health, /metrics, /stats); JSON logs on stdout')
    .option('--config <file>', 'service config (e.g. config/production.yml); default: the embedded pipeline over the bundled golden set')
    .option('--port <n>', 'port to listen on (0: any free port; default: the config\'s, 8080)')
    .option('--host <host>', 'address to listen on (default: the config\'s, 127.0.0.1)')
    .option('--log-level <level>', `${LEVELS.join(' | ')}`, 'info')
    .action(async (opts: { config?: string; port?: string; host?: string; logLevel: string }) => {
      if (!LEVELS.includes(opts.logLevel)) throw new InputError(`--log-level: expected one of ${LEVELS.join(', ')}, got "${opts.logLevel}"`);
      const base: ServiceConfig = opts.config
        ? await loadServiceConfig(opts.config)
        : { ...defaultServiceConfig(), documents: defaultServiceConfig().documents.map((d) => resolve(ROOT, d)) };
      const config: ServiceConfig = {
        ...base,
        server: {
          ...base.server,
          ...(opts.port !== undefined && { port: parsePort(opts.port) }),
          ...(opts.host !== undefined && { host: opts.host }),
        },
      };
      const started = performance.now();
      const logger = pino({ level: opts.logLevel });
      const service = await startService({ config, logger });
      process.stderr.write(`ragbench serve: listening on ${service.address} (loading ${config.documents.join(', ')})\n`);

      let stopping = false;
      const stopped = new Promise<void>((resolveStopped) => {
        const stop = (signal: NodeJS.Signals): void => {
          if (stopping) {
            process.stderr.write(`ragbench serve: second ${signal}: exiting now\n`);
            process.exit(EXIT.interrupted);
          }
          stopping = true;
          process.stderr.write(`ragbench serve: ${signal}: finishing requests in flight, then closing\n`);
          void service.close().then(resolveStopped, (error: unknown) => {
            process.stderr.write(`ragbench serve: shutdown failed: ${error instanceof Error ? error.message : String(error)}\n`);
            process.exit(EXIT.runtimeError);
          });
        };
        process.on('SIGTERM', stop);
        process.on('SIGINT', stop);
      });

      const report = await service.loaded;
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      for (const f of report.failed) process.stderr.write(`ragbench serve: not ingested: ${f.file}: ${f.reason}\n`);
      process.stderr.write(
        `ragbench serve: ready on ${service.address}: ${report.documents.length} documents, ${service.pipeline.chunkCount} chunks, index version ${service.pipeline.indexVersion} (${seconds} s)\n`,
      );
      await stopped;
      process.stderr.write('ragbench serve: stopped\n');
      // TF.js and native stores may hold handles open; the service is closed, so leave now.
      process.exit(EXIT.ok);
    });
}
