import type { Command } from 'commander';
import { formatPoll } from '../../watch/format.ts';
import { loadRules } from '../../watch/rules.ts';
import { Watcher, type WatchEndReason } from '../../watch/watcher.ts';
import { InputError } from '../../util/errors.ts';
import { EXIT } from '../exit.ts';

interface WatchFlags {
  service: string;
  rules: string;
  audit?: string;
  once?: boolean;
  for?: string;
  keepWatching?: boolean;
}

/** A deploy script reads these: 0 watched and stopped cleanly, 1 a rollback fired, 3 the service was unreachable too long. */
export const WATCH_EXIT: Record<WatchEndReason, number> = { stopped: EXIT.ok, 'rolled-back': EXIT.noGo, unreachable: EXIT.runtimeError };

function parseService(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(`--service: expected a URL like http://127.0.0.1:8080, got "${value}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError(`--service: expected http:// or https://, got "${value}"`);
  return url.origin + url.pathname.replace(/\/+$/, '');
}

export function registerWatch(program: Command): void {
  program
    .command('watch')
    .description('poll a running service\'s /metrics, judge the rollback rules over sliding windows, run the rollback when one fires: exit 0 stopped, 1 rolled back, 2 bad rules, 3 service unreachable too long')
    .requiredOption('--service <url>', 'the service, e.g. http://127.0.0.1:8080')
    .requiredOption('--rules <file>', 'rollback rules (e.g. config/rollback.yml)')
    .option('--audit <file>', 'append each rollback as a JSON line (fsync\'d) to this file')
    .option('--once', 'one poll, then exit (a window needs history: expect "insufficient data")')
    .option('--for <seconds>', 'stop after this long (exit 0 unless a rollback fired)')
    .option('--keep-watching', 'after a rollback, go on watching (triggers wait for the cooldown) instead of exiting 1')
    .action(async (flags: WatchFlags) => {
      const service = parseService(flags.service);
      const forSeconds = flags.for === undefined ? undefined : Number(flags.for);
      if (forSeconds !== undefined && !(forSeconds > 0)) throw new InputError(`--for: expected seconds > 0, got "${flags.for}"`);
      const rules = await loadRules(flags.rules);
      const watcher = await Watcher.create({ service, rules, ...(flags.audit !== undefined && { audit: flags.audit }), keepWatching: flags.keepWatching === true });
      const stop = new AbortController();
      const onSignal = (signal: NodeJS.Signals): void => {
        if (stop.signal.aborted) process.exit(EXIT.interrupted);
        process.stderr.write(`ragbench watch: ${signal}: stopping after this poll\n`);
        stop.abort();
      };
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
      const names = rules.triggers.map((t) => `${t.name} (${t.metric} ${t.comparison} ${t.threshold}, ${t.windowSeconds} s window)`).join(', ');
      process.stderr.write(`ragbench watch: ${service} every ${rules.pollSeconds} s: ${names}\n`);
      const end = await watcher.run((report) => process.stdout.write(`${formatPoll(report)}\n`), {
        signal: stop.signal,
        ...(flags.once && { once: true }),
        ...(forSeconds !== undefined && { forSeconds }),
      });
      process.stderr.write(`ragbench watch: ${end.reason}: ${end.message}${flags.audit && end.fired.length > 0 ? `; audit: ${flags.audit}` : ''}\n`);
      // The canary's extractor (WASM) may hold handles open; the watch is over, so leave now.
      process.exit(WATCH_EXIT[end.reason]);
    });
}
