#!/usr/bin/env node
// Checks that the install runs under npm >= the version package.json "engines" names, and on a
// Node it names, and says how to fix it when not. Plain Node, no dependencies: it runs before
// anything is installed (the root `preinstall`, and `npm run setup` before it installs).
//
// Why npm >= 11.16: package.json "allowScripts" (added in npm 11.16) keeps faiss-node's own
// install script from running; that script falls back to a `git clone` of FAISS from GitHub
// and fails offline. scripts/build-native.mjs installs FAISS instead. An older npm, or another
// client (yarn, pnpm, bun), ignores "allowScripts".
//
// Note: npm runs a root `preinstall` only after the dependencies' own install scripts, so on
// npm 10 faiss-node's script fails before this one runs. The project .npmrc therefore sets
// engine-strict=true: npm then refuses an old npm or Node (EBADENGINE) before it installs
// anything. This check covers the cases engine-strict does not: another client, or
// engine-strict turned off.
//
//   node scripts/check-npm.mjs          exit 0 when fine, 1 with the fix on stderr when not

import { spawnSync } from 'node:child_process';
import { readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The minimum versions package.json "engines" names (each a ">=x.y.z" range). */
export function requiredVersions(packageJson = join(root, 'package.json')) {
  const engines = JSON.parse(readFileSync(packageJson, 'utf8')).engines ?? {};
  const minimum = (name) => {
    const match = /^>=\s*(\d+\.\d+\.\d+)$/.exec(String(engines[name] ?? '').trim());
    if (!match) throw new Error(`${packageJson}: engines.${name} must be ">=x.y.z", got ${JSON.stringify(engines[name])}`);
    return match[1];
  };
  return { npm: minimum('npm'), node: minimum('node') };
}

/** Compares dotted versions numerically ("11.16.0" vs "11.9.1"); a leading "v" is ignored. */
export function compareVersions(a, b) {
  const parts = (v) => v.replace(/^v/, '').split(/[.+-]/).slice(0, 3).map((x) => Number.parseInt(x, 10) || 0);
  const [x, y] = [parts(a), parts(b)];
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) < (y[i] ?? 0) ? -1 : 1;
  return 0;
}

/**
 * The package manager that runs a lifecycle script, from npm_config_user_agent
 * ("npm/11.19.1 node/v20.20.2 linux x64 workspaces/false"; yarn, pnpm and bun set it too).
 */
export function clientFromUserAgent(userAgent) {
  const match = /^([\w.-]+)\/(\d+\.\d+\.\d+\S*)/.exec(userAgent ?? '');
  return match ? { name: match[1], version: match[2] } : undefined;
}

/**
 * What is wrong with the installing client and Node, as lines to print; empty when fine.
 * `client` is { name, version } (see clientFromUserAgent).
 */
export function installProblems({ client, nodeVersion, required }) {
  const problems = [];
  if (compareVersions(nodeVersion, required.node) < 0) {
    problems.push(
      `Node ${nodeVersion.replace(/^v/, '')} is too old: ragbench needs Node >= ${required.node} (package.json "engines").`,
      '  Fix: install Node 20 LTS (20.19 or later), e.g. with nvm: nvm install 20',
    );
  }
  if (!client) return problems;
  const why = `"allowScripts" in package.json (npm >= 11.16) keeps faiss-node's own install script (a git clone of FAISS from GitHub) from running; scripts/build-native.mjs installs FAISS instead.`;
  if (client.name !== 'npm') {
    problems.push(`${client.name} ${client.version} is not supported: install ragbench with npm >= ${required.npm}.`, `  Why: ${why}`, `  Fix: npm ci   (npm >= ${required.npm}: npm install -g npm@11)`);
  } else if (compareVersions(client.version, required.npm) < 0) {
    problems.push(
      `npm ${client.version} is too old: ragbench installs with npm >= ${required.npm} (package.json "engines").`,
      `  Why: ${why}`,
      '  Fix: npm run setup   (installs with npm 11 through npm exec), or make npm 11 yours:',
      '       npm install -g npm@11   (with sudo if npm is installed system-wide), then run the install again',
    );
  }
  return problems;
}

/** Whether the client is npm, but one older than the install needs. */
export function isOldNpm(client, required) {
  return client?.name === 'npm' && compareVersions(client.version, required.npm) < 0;
}

/**
 * The package manager at `npm_execpath` (npm, pnpm and yarn set it for the scripts they run), by
 * the package.json above it. More reliable than the user agent, which an outer npm's environment
 * can supply (e.g. `npx npm@10 ci` reports the outer npm's agent).
 */
export function clientFromExecPath(execPath) {
  if (!execPath) return undefined;
  let dir = dirname(execPath);
  for (let i = 0; i < 4; i++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      if (typeof pkg.name === 'string' && typeof pkg.version === 'string') return { name: pkg.name.replace(/^@[^/]+\//, ''), version: pkg.version };
    } catch {
      // no package.json here: look one folder up
    }
  }
  return undefined;
}

/** The npm on PATH, when no package manager runs this script (e.g. `node scripts/setup.mjs`). */
function npmOnPath() {
  const r = spawnSync('npm', ['--version'], { encoding: 'utf8', shell: process.platform === 'win32' });
  const version = r.status === 0 ? r.stdout.trim() : undefined;
  return version ? { name: 'npm', version } : undefined;
}

/** The package manager running this script; the npm on PATH when none does. */
export function currentClient(env = process.env) {
  return clientFromExecPath(env.npm_execpath) ?? clientFromUserAgent(env.npm_config_user_agent) ?? npmOnPath();
}

/** The problems of a client (by default this process's) and this Node. */
export function currentProblems(env = process.env, client = currentClient(env)) {
  const problems = installProblems({ client, nodeVersion: process.version, required: requiredVersions() });
  if (!client) problems.push('npm not found on PATH: install Node 20 LTS, which brings npm, then: npm install -g npm@11');
  return problems;
}

if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  const problems = currentProblems();
  if (problems.length) {
    console.error(['', 'ragbench: cannot install with this toolchain:', ...problems, ''].join('\n'));
    process.exit(1);
  }
}
