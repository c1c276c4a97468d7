#!/usr/bin/env node
// One-command set-up of a clone: `npm run setup` (or `node scripts/setup.mjs`). Plain Node, no
// dependencies, so it runs before anything is installed:
//   1. checks npm and Node against package.json "engines" (scripts/check-npm.mjs). An npm too
//      old for "allowScripts" (Node 20 ships npm 10) is not an error here: step 3 then runs
//      npm 11 through `npm exec`, leaving the user's npm as it is;
//   2. on Debian/Ubuntu, installs the missing system packages with scripts/setup-debian.sh
//      (through sudo when not root), saying which first; elsewhere it installs none and says so:
//      the install then uses faiss-node's prebuilt binary, which needs internet;
//   3. installs the npm packages: `npm ci` in a fresh clone, `npm install` when node_modules
//      exists (`npm exec --package=npm@11 -- npm ci` under an older npm). Their postinstall (scripts/build-native.mjs) builds FAISS and fails loudly,
//      naming the fix, when it cannot.
//
// Options: --no-system  skip step 2 (also RAGBENCH_SKIP_SYSTEM=1)
//          --dry-run    print what would be done, do nothing

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { currentClient, currentProblems, installProblems, isOldNpm, requiredVersions } from './check-npm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Whether this is a Debian-family system, from /etc/os-release's text ("ID=ubuntu",
 * "ID_LIKE=debian"): { debian, name }.
 */
export function systemKind(platform, osRelease) {
  if (platform !== 'linux') return { debian: false, name: platform };
  const field = (key) => new RegExp(`^${key}=["']?([^"'\\n]*)`, 'm').exec(osRelease ?? '')?.[1] ?? '';
  const ids = `${field('ID')} ${field('ID_LIKE')}`.split(/\s+/);
  return { debian: ids.includes('debian') || ids.includes('ubuntu'), name: field('PRETTY_NAME') || field('ID') || 'Linux' };
}

/** The npm command that runs this script's npm (npm_execpath under `npm run`), else npm on PATH. */
export function npmCommand(env = process.env) {
  const cli = env.npm_execpath;
  if (cli && /npm-cli\.[cm]?js$/.test(cli)) return { command: process.execPath, prefix: [cli] };
  return { command: 'npm', prefix: [] };
}

function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function say(message) {
  console.log(`[setup] ${message}`);
}

function fail(message) {
  console.error(`[setup] ${message}`);
  process.exit(1);
}

/** Runs a command in the repository, output shown; exits with a message when it fails. */
function run(command, args, dryRun) {
  say(`${dryRun ? 'would run' : '$'} ${[command, ...args].join(' ')}`);
  if (dryRun) return;
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' && command === 'npm' });
  if (r.error) fail(`${command}: ${r.error.message}`);
  if (r.status !== 0) fail(`${[command, ...args].join(' ')} failed (exit ${r.status ?? r.signal}); see its output above`);
}

function systemStep({ skip, dryRun }) {
  const osRelease = existsSync('/etc/os-release') ? readFileSync('/etc/os-release', 'utf8') : undefined;
  const system = systemKind(process.platform, osRelease);
  if (skip) return say('system packages: skipped (--no-system / RAGBENCH_SKIP_SYSTEM=1)');
  if (!system.debian || !hasCommand('dpkg-query') || !hasCommand('apt-get')) {
    return say(
      `system packages: ${system.name} is not Debian/Ubuntu, so none are installed. faiss-node's prebuilt ` +
        'binary will be fetched during the install (needs internet); hnswlib-node needs a C++ compiler, make and python3.',
    );
  }
  const listed = spawnSync('bash', [join(root, 'scripts/setup-debian.sh'), '--missing'], { encoding: 'utf8' });
  if (listed.status !== 0) fail(`scripts/setup-debian.sh --missing failed: ${listed.stderr.trim()}`);
  const missing = listed.stdout.trim();
  if (!missing) return say(`system packages (${system.name}): all present`);
  say(`system packages (${system.name}): installing ${missing} (FAISS build, test PDFs, fonts, browser; scripts/setup-debian.sh)`);
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (asRoot) return run('bash', ['scripts/setup-debian.sh'], dryRun);
  if (!hasCommand('sudo')) fail('installing them needs root and sudo is not installed: run  su -c "bash scripts/setup-debian.sh"  then  npm run setup');
  say('(with sudo: it may ask for your password)');
  return run('sudo', ['bash', 'scripts/setup-debian.sh'], dryRun);
}

function npmStep({ dryRun, throughNpm11 }) {
  const fresh = !existsSync(join(root, 'node_modules'));
  const npm = npmCommand();
  const install = [fresh ? 'ci' : 'install', '--no-audit', '--no-fund'];
  run(npm.command, [...npm.prefix, ...(throughNpm11 ? ['exec', '--yes', '--package=npm@11', '--', 'npm'] : []), ...install], dryRun);
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => !['--no-system', '--dry-run'].includes(a));
  if (unknown.length) fail(`unknown option ${unknown.join(' ')}; options: --no-system, --dry-run`);
  const dryRun = args.includes('--dry-run');
  const client = currentClient();
  const required = requiredVersions();
  const throughNpm11 = isOldNpm(client, required);
  const problems = throughNpm11 ? installProblems({ client: undefined, nodeVersion: process.version, required }) : currentProblems(process.env, client);
  if (problems.length) fail(['cannot set up with this toolchain:', ...problems].join('\n'));
  if (throughNpm11) {
    say(`npm ${client.version} ignores package.json "allowScripts" (npm >= ${required.npm} honours it): installing with npm 11 through npm exec. \`npm install -g npm@11\` would make it your npm.`);
  }
  systemStep({ skip: args.includes('--no-system') || process.env.RAGBENCH_SKIP_SYSTEM === '1', dryRun });
  npmStep({ dryRun, throughNpm11 });
  say(dryRun ? 'dry run: nothing was changed' : 'done. Next: npm run bench (writes reports/latest/), npm test');
}
