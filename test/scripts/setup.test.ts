import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeClient } from './fake-client.ts';

const script = fileURLToPath(new URL('../../scripts/setup.mjs', import.meta.url));
const scratch = mkdtempSync(join(tmpdir(), 'ragbench-setup-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };


function setup(args: string[], env: Record<string, string> = {}) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
  return spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', env: { ...clean, ...env }, timeout: 60_000 });
}

interface Setup {
  systemKind(platform: string, osRelease: string | undefined): { debian: boolean; name: string };
  npmCommand(env: Record<string, string | undefined>): { command: string; prefix: string[] };
}

const onDebian = existsSync('/etc/os-release') && /^ID(_LIKE)?=.*\b(debian|ubuntu)\b/m.test(readFileSync('/etc/os-release', 'utf8'));

describe('scripts/setup.mjs (npm run setup, the README first command)', () => {
  it('is the setup script, and the install checks npm first', () => {
    expect(packageJson.scripts.setup).toBe('node scripts/setup.mjs');
    expect(packageJson.scripts.preinstall).toBe('node scripts/check-npm.mjs');
  });

  // CI and the development machine are Debian 12, so this runs there; elsewhere setup installs no system packages.
  it.runIf(onDebian)('on Debian/Ubuntu checks the system packages, then installs the npm packages (dry run)', () => {
    const r = setup(['--dry-run']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^\[setup\] system packages \(.+\): (all present|installing .+)$/);
    // This checkout has node_modules: an update, not a clean install.
    expect(lines).toContain('[setup] would run npm install --no-audit --no-fund');
    expect(lines.at(-1)).toBe('[setup] dry run: nothing was changed');
  });

  it('skips the system step when asked, and says so', () => {
    const r = setup(['--dry-run', '--no-system']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('[setup] system packages: skipped (--no-system / RAGBENCH_SKIP_SYSTEM=1)');
    expect(setup(['--dry-run'], { RAGBENCH_SKIP_SYSTEM: '1' }).stdout).toContain('system packages: skipped');
  });

  it('under npm 10 (Node 20 ships it), installs with npm 11 through npm exec and says so', () => {
    const cli = fakeClient(scratch, 'npm', '10.9.2');
    const r = setup(['--dry-run', '--no-system'], { npm_execpath: cli });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('[setup] npm 10.9.2 ignores package.json "allowScripts" (npm >= 11.16.0 honours it): installing with npm 11 through npm exec.');
    expect(r.stdout).toContain(`[setup] would run ${process.execPath} ${cli} exec --yes --package=npm@11 -- npm install --no-audit --no-fund`);
  });

  it('stops before installing anything under a client that ignores allowScripts', () => {
    const r = setup(['--dry-run'], { npm_execpath: fakeClient(scratch, 'yarn', '1.22.22') });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('yarn 1.22.22 is not supported: install ragbench with npm >= 11.16.0');
  });

  it('rejects an unknown option', () => {
    const r = setup(['--yes']);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('[setup] unknown option --yes; options: --no-system, --dry-run\n');
  });

  it('recognises Debian and Ubuntu by /etc/os-release, and nothing else', async () => {
    const { systemKind } = (await import(pathToFileURL(script).href)) as Setup;
    const debian = 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nID=debian\n';
    const ubuntu = 'PRETTY_NAME="Ubuntu 24.04.1 LTS"\nID=ubuntu\nID_LIKE=debian\n';
    const mint = 'NAME="Linux Mint"\nID=linuxmint\nID_LIKE="ubuntu debian"\n';
    const fedora = 'NAME="Fedora Linux"\nID=fedora\nPRETTY_NAME="Fedora Linux 40"\n';
    expect(systemKind('linux', debian)).toEqual({ debian: true, name: 'Debian GNU/Linux 12 (bookworm)' });
    expect(systemKind('linux', ubuntu)).toEqual({ debian: true, name: 'Ubuntu 24.04.1 LTS' });
    expect(systemKind('linux', mint)).toEqual({ debian: true, name: 'linuxmint' });
    expect(systemKind('linux', fedora)).toEqual({ debian: false, name: 'Fedora Linux 40' });
    expect(systemKind('linux', undefined)).toEqual({ debian: false, name: 'Linux' });
    expect(systemKind('darwin', debian)).toEqual({ debian: false, name: 'darwin' });
  });

  it('installs with the npm that runs it (npm run setup), else the npm on PATH', async () => {
    const { npmCommand } = (await import(pathToFileURL(script).href)) as Setup;
    expect(npmCommand({ npm_execpath: '/opt/npm/bin/npm-cli.js' })).toEqual({ command: process.execPath, prefix: ['/opt/npm/bin/npm-cli.js'] });
    expect(npmCommand({ npm_execpath: '/opt/pnpm/bin/pnpm.cjs' })).toEqual({ command: 'npm', prefix: [] });
    expect(npmCommand({})).toEqual({ command: 'npm', prefix: [] });
  });
});
