import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { EXIT } from '../../src/cli/exit.ts';
import { generatedNotice } from './notice.ts';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BIN = 'bin/ragbench.js';
// Help goes through the real binary, a few at a time: each process loads the CLI once.
const CONCURRENT_HELPS = 3;

/** Meaning of each shared exit code (src/cli/exit.ts); a code without one fails generation. */
const EXIT_NOTES: Readonly<Record<keyof typeof EXIT, string>> = {
  ok: 'success; GO',
  noGo: 'NO-GO (gate), loss found (migrate), rolled back (watch)',
  invalidInput: 'invalid input: the message names the file and the field',
  runtimeError: 'runtime error (also: every run of a suite errored; watch: the service unreachable too long)',
  interrupted: 'interrupted by Ctrl-C after writing what finished (a second Ctrl-C kills)',
};

/** `ragbench [args] --help` as commander prints it to a pipe: 80 columns, no colour. */
export async function helpOf(args: readonly string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const { stdout } = await run(process.execPath, [BIN, ...args, '--help'], { cwd: ROOT, env, encoding: 'utf8' });
  return stdout.trimEnd();
}

/** The subcommand names in the top-level help's `Commands:` list, without `help`. */
export function commandNames(topHelp: string): string[] {
  const section = topHelp.split(/^Commands:$/m)[1];
  if (section === undefined) throw new Error(`no "Commands:" section in \`ragbench --help\`:\n${topHelp}`);
  return [...section.matchAll(/^ {2}([a-z][\w-]*)/gm)].map((m) => m[1]!).filter((name) => name !== 'help');
}

async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

function exitCodeTable(): string {
  const rows = (Object.entries(EXIT) as [keyof typeof EXIT, number][]).map(([name, code]) => {
    const note = EXIT_NOTES[name];
    if (!note) throw new Error(`scripts/docs/cli.ts: exit code ${name} (${code}) has no note`);
    return `| ${code} | \`${name}\` | ${note} |`;
  });
  return ['| code | name | meaning |', '| --- | --- | --- |', ...rows].join('\n');
}

/** docs/cli.md: every command's own `--help`, in the order `ragbench --help` lists them. */
export async function renderCliDoc(): Promise<string> {
  const top = await helpOf([]);
  const names = commandNames(top);
  const helps = await mapLimited(names, CONCURRENT_HELPS, (name) => helpOf([name]));
  const sections = names.map((name, i) => `## \`ragbench ${name}\`\n\n\`\`\`text\n${helps[i]}\n\`\`\``);
  return `# Command-line reference: \`ragbench\`

${generatedNotice('scripts/docs/cli.ts', "each command's own `--help` (commander, `node bin/ragbench.js <command> --help`) and the exit codes in src/cli/exit.ts")}

Commands: ${names.map((name) => `[\`${name}\`](#ragbench-${name})`).join(', ')}. Stage options
(\`--extractor\`, \`--chunker\`, \`--retriever\`, \`--embedder\`, \`--store\`) take a registry name or a YAML flow map
with options: \`--chunker '{name: sentence, n: 3, overlap: 1}'\`.

## Exit codes

Every command shares them (src/cli/exit.ts):

${exitCodeTable()}

## \`ragbench\`

\`\`\`text
${top}
\`\`\`

${sections.join('\n\n')}
`;
}
