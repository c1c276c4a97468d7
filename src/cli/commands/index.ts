import type { Command } from 'commander';
import { registerGate } from './gate.ts';
import { registerReport } from './report.ts';
import { registerIngest } from './ingest.ts';
import { registerMerge } from './merge.ts';
import { registerMigrate } from './migrate.ts';
import { registerQuery } from './query.ts';
import { registerRun } from './run.ts';
import { registerServe } from './serve.ts';
import { registerTune } from './tune.ts';
import { registerWatch } from './watch.ts';

/** Each command module adds one subcommand; adding a command is one file plus one line here. */
export function registerCommands(program: Command): void {
  registerRun(program);
  registerIngest(program);
  registerQuery(program);
  registerGate(program);
  registerReport(program);
  registerTune(program);
  registerServe(program);
  registerMigrate(program);
  registerWatch(program);
  registerMerge(program);
}
