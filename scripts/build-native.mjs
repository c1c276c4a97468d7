#!/usr/bin/env node
// Makes sure the two native vector-index addons load: faiss-node and hnswlib-node.
// Runs as the root `postinstall` (and as `npm run build:native`).
//
// package.json's "allowScripts" keeps npm from running faiss-node's own install script,
// which falls back to `git clone` from GitHub. This script does, per addon, only what is
// missing:
//   1. the addon already loads and answers a search (smoke test in a child process) -> done;
//   2. faiss only: faiss-node's own prebuilt binary (prebuild-install, bounded by a timeout,
//      fails in well under a second without internet);
//   3. build from source with node-gyp: faiss-node's src/faiss.cc against Debian's libfaiss
//      (native/binding.gyp), hnswlib-node with its own binding.gyp;
//   4. smoke-search the result.
//
// Exit status: non-zero when an addon cannot be made to work, so `npm install`/`npm ci` does
// not succeed silently with a broken FAISS. Set RAGBENCH_SKIP_NATIVE=1 to turn failures
// into a warning (exit 0) on machines that do not need the native stores.
//
// Options: --force (rebuild even if the addon loads), --only=faiss|hnswlib.

import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const requireFromRoot = createRequire(join(root, 'package.json'));

const APT_FIX = 'apt-get install -y libfaiss-dev libopenblas-dev build-essential python3';
const PREBUILD_TIMEOUT_MS = 45_000;
const BUILD_TIMEOUT_MS = 15 * 60_000;

const args = process.argv.slice(2);
const force = args.includes('--force');
const only = args.find((a) => a.startsWith('--only='))?.slice('--only='.length);

/** Smoke searches, run in a child: a broken addon can abort the whole process (C++ terminate). */
const SMOKE = {
  faiss: `
    const faiss = require('faiss-node');
    const flat = new faiss.IndexFlatIP(4);
    flat.add([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]);
    const a = flat.search([0.1, 0.9, 0, 0], 2);
    const hnsw = faiss.Index.fromFactory(4, 'HNSW32,Flat', faiss.MetricType.METRIC_INNER_PRODUCT);
    hnsw.add([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0]);
    const b = hnsw.search([0, 0.2, 0.8, 0], 1);
    if (a.labels.join() !== '1,0' || b.labels.join() !== '2') {
      throw new Error('wrong search results: ' + JSON.stringify({ a, b }));
    }`,
  hnswlib: `
    const { HierarchicalNSW } = require('hnswlib-node');
    const index = new HierarchicalNSW('ip', 4);
    index.initIndex(8);
    index.addPoint([1, 0, 0, 0], 0);
    index.addPoint([0, 1, 0, 0], 1);
    index.addPoint([0, 0, 1, 0], 2);
    const r = index.searchKnn([0.1, 0.9, 0, 0], 2);
    if (r.neighbors.join() !== '1,0') throw new Error('wrong search results: ' + JSON.stringify(r));`,
};

function log(message) {
  console.log(`[build-native] ${message}`);
}

function loud(lines) {
  const bar = '!'.repeat(78);
  console.error(['', bar, ...lines.map((l) => `!! ${l}`), bar, ''].join('\n'));
}

/** Runs the addon's smoke search in a child Node; returns undefined on success, else why not. */
function smoke(addon) {
  const r = spawnSync(process.execPath, ['-e', SMOKE[addon]], { cwd: root, encoding: 'utf8', timeout: 60_000 });
  if (r.status === 0) return undefined;
  const output = `${r.stderr ?? ''}${r.stdout ?? ''}`.trim().split('\n');
  // The first line that names an error is the useful one (require stacks are long).
  return output.find((l) => /error|undefined symbol|cannot find|could not locate/i.test(l)) ?? output[0] ?? `exit ${r.status}`;
}

function packageDir(name) {
  try {
    return dirname(requireFromRoot.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/**
 * Node headers for node-gyp. A stock machine has no npmrc `nodedir`, and without one node-gyp
 * downloads headers from nodejs.org, which fails offline. Prefer the headers installed beside
 * the running node (Debian's nodejs puts them in /usr/include/node).
 */
function nodeDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  for (const dir of [resolve(dirname(process.execPath), '..'), '/usr']) {
    if (existsSync(join(dir, 'include', 'node', 'node_api.h'))) return dir;
  }
  return undefined;
}

function nodeGypScript() {
  try {
    return requireFromRoot.resolve('node-gyp/bin/node-gyp.js'); // the project's pinned devDependency
  } catch {
    // npm sets this for lifecycle scripts: its bundled node-gyp (present with --omit=dev).
    return process.env.npm_config_node_gyp;
  }
}

function run(command, commandArgs, cwd, timeout) {
  log(`$ ${[command, ...commandArgs].join(' ')}   (in ${cwd})`);
  const r = spawnSync(command, commandArgs, { cwd, stdio: 'inherit', timeout });
  if (r.error) return `${r.error.message}`;
  return r.status === 0 ? undefined : `exit status ${r.status ?? r.signal}`;
}

function nodeGyp(cwd) {
  const script = nodeGypScript();
  if (!script) return 'node-gyp not found (neither the node-gyp devDependency nor npm_config_node_gyp)';
  const dir = nodeDir();
  const gypArgs = [script, 'rebuild', '--release', `--jobs=${process.env.JOBS ?? 'max'}`];
  if (dir) gypArgs.push(`--nodedir=${dir}`);
  return run(process.execPath, gypArgs, cwd, BUILD_TIMEOUT_MS);
}

function hasLibrary(names) {
  const dirs = ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib', '/usr/local/lib'];
  return dirs.some((d) => existsSync(d) && readdirSync(d).some((f) => names.some((n) => f.startsWith(n))));
}

function hasCommand(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** What the faiss source build needs and is missing, as short phrases. */
function missingFaissPrerequisites() {
  const missing = [];
  if (!existsSync('/usr/include/faiss/IndexFlat.h') && !existsSync('/usr/local/include/faiss/IndexFlat.h')) {
    missing.push('FAISS headers (libfaiss-dev)');
  }
  if (!hasLibrary(['libfaiss.'])) missing.push('libfaiss (libfaiss-dev)');
  if (!hasLibrary(['libopenblas.'])) missing.push('OpenBLAS (libopenblas-dev)');
  for (const [command, pkg] of [['g++', 'build-essential'], ['make', 'build-essential'], ['python3', 'python3']]) {
    if (!hasCommand(command)) missing.push(`${command} (${pkg})`);
  }
  return missing;
}

function ensureFaiss() {
  const dir = packageDir('faiss-node');
  if (!dir) return 'faiss-node is not installed (run npm ci first)';
  if (!force) {
    const why = smoke('faiss');
    if (!why) {
      log('faiss-node: loads and searches, nothing to do');
      return undefined;
    }
    log(`faiss-node: not usable yet (${why})`);

    // A machine with internet gets faiss-node's own prebuilt binary, the normal path upstream.
    const prebuild = packageDir('prebuild-install');
    if (prebuild) {
      const failed = run(process.execPath, [join(prebuild, 'bin.js'), '--runtime', 'napi'], dir, PREBUILD_TIMEOUT_MS);
      if (!failed && !smoke('faiss')) {
        log('faiss-node: prebuilt binary installed and searches');
        return undefined;
      }
      log('faiss-node: no usable prebuilt binary (offline?), building from source against the system FAISS');
    }
  }

  const missing = missingFaissPrerequisites();
  if (missing.length) return `cannot build faiss-node: missing ${missing.join(', ')}`;
  const started = Date.now();
  const failed = nodeGyp(nativeDir);
  if (failed) return `node-gyp failed to build native/binding.gyp (${failed})`;
  const target = join(dir, 'build', 'Release');
  mkdirSync(target, { recursive: true });
  copyFileSync(join(nativeDir, 'build', 'Release', 'faiss-node.node'), join(target, 'faiss-node.node'));
  const why = smoke('faiss');
  if (why) return `faiss-node built but its smoke search fails: ${why}`;
  log(`faiss-node: built from source in ${((Date.now() - started) / 1000).toFixed(1)} s, searches`);
  return undefined;
}

function ensureHnswlib() {
  const dir = packageDir('hnswlib-node');
  if (!dir) return 'hnswlib-node is not installed (run npm ci first)';
  if (!force) {
    const why = smoke('hnswlib');
    if (!why) {
      log('hnswlib-node: loads and searches, nothing to do');
      return undefined;
    }
    log(`hnswlib-node: not usable yet (${why})`);
  }
  const missing = ['g++', 'make', 'python3'].filter((c) => !hasCommand(c));
  if (missing.length) return `cannot build hnswlib-node: missing ${missing.join(', ')}`;
  const started = Date.now();
  const failed = nodeGyp(dir);
  if (failed) return `node-gyp failed to build hnswlib-node (${failed})`;
  const why = smoke('hnswlib');
  if (why) return `hnswlib-node built but its smoke search fails: ${why}`;
  log(`hnswlib-node: built in ${((Date.now() - started) / 1000).toFixed(1)} s, searches`);
  return undefined;
}

const steps = { faiss: ensureFaiss, hnswlib: ensureHnswlib };
if (only && !(only in steps)) {
  console.error(`[build-native] --only=${only}: expected one of ${Object.keys(steps).join(', ')}`);
  process.exit(2);
}
const failures = Object.entries(steps)
  .filter(([name]) => !only || name === only)
  .map(([, step]) => step())
  .filter((f) => f !== undefined);

if (failures.length) {
  const skip = process.env.RAGBENCH_SKIP_NATIVE === '1';
  loud([
    `ragbench: native vector-index addons are NOT usable${skip ? ' (RAGBENCH_SKIP_NATIVE=1: continuing)' : ''}:`,
    ...failures.map((f) => `  - ${f}`),
    '',
    'Fix (Debian/Ubuntu):',
    `  ${APT_FIX}`,
    '  npm run build:native',
    '  (or, on Debian/Ubuntu, the whole set-up in one step: npm run setup)',
    'Stores faiss-flat, faiss-hnsw and hnswlib cannot run until this succeeds;',
    'set RAGBENCH_SKIP_NATIVE=1 to install without them.',
  ]);
  process.exit(skip ? 0 : 1);
}
