import type { Command } from 'commander';

/** Each command module adds one subcommand; adding a command is one file plus one line here. */
export function registerCommands(program: Command): void {
  void program;
}
