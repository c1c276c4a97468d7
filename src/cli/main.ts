import { Command, CommanderError } from 'commander';
import { InputError } from '../util/errors.ts';
import { EXIT } from './exit.ts';
import { registerCommands } from './commands/index.ts';

const program = new Command('ragbench')
  .description('Evaluate and benchmark retrieval-augmented generation pipelines over PDFs')
  .exitOverride();
registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version exit 0; a usage error is invalid input.
    process.exit(err.exitCode === 0 ? EXIT.ok : EXIT.invalidInput);
  }
  if (err instanceof InputError) {
    console.error(`ragbench: invalid input\n${err.message}`);
    process.exit(EXIT.invalidInput);
  }
  console.error(`ragbench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exit(EXIT.runtimeError);
}
