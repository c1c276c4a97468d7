import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeClient } from './fake-client.ts';

const script = fileURLToPath(new URL('../../scripts/check-npm.mjs', import.meta.url));
const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { engines: Record<string, string> };
const scratch = mkdtempSync(join(tmpdir(), 'ragbench-check-npm-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));


/** Runs the check as a package manager's lifecycle script would, with only the given npm_* variables. */
function check(env: { npm_config_user_agent?: string; npm_execpath?: string }) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.toLowerCase().startsWith('npm_')));
  return spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...clean, ...env }, timeout: 30_000 });
}

const agent = (client: string) => `${client} node/${process.version} linux x64 workspaces/false`;

interface CheckNpm {
  installProblems(input: { client: { name: string; version: string } | undefined; nodeVersion: string; required: { npm: string; node: string } }): string[];
  compareVersions(a: string, b: string): number;
}

describe('scripts/check-npm.mjs (the preinstall check)', () => {
  it('declares the npm that honours allowScripts in package.json engines', () => {
    expect(packageJson.engines.npm).toBe('>=11.16.0');
    expect(readFileSync(new URL('../../.npmrc', import.meta.url), 'utf8')).toMatch(/^engine-strict=true$/m);
  });

  it('passes npm 11.16 and later, silently', () => {
    for (const version of ['11.16.0', '11.19.1', '12.0.0']) {
      const r = check({ npm_config_user_agent: agent(`npm/${version}`) });
      expect([r.status, r.stdout, r.stderr]).toEqual([0, '', '']);
    }
  });

  it('stops npm 10 (what Node 20 ships) with the fix, not a stack trace', () => {
    const r = check({ npm_config_user_agent: agent('npm/10.9.2') });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('npm 10.9.2 is too old: ragbench installs with npm >= 11.16.0');
    expect(r.stderr).toContain('Fix: npm run setup   (installs with npm 11 through npm exec)');
    expect(r.stderr).toContain('npm install -g npm@11');
    expect(r.stderr).toContain('allowScripts');
    expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  });

  it('compares versions numerically: 11.15 is too old, 11.16 is not', () => {
    expect(check({ npm_config_user_agent: agent('npm/11.15.9') }).status).toBe(1);
    expect(check({ npm_config_user_agent: agent('npm/11.16.0') }).status).toBe(0);
  });

  it('believes the npm at npm_execpath over a user agent inherited from an outer npm (npx npm@10 ci)', () => {
    const r = check({ npm_config_user_agent: agent('npm/11.19.1'), npm_execpath: fakeClient(scratch, 'npm', '10.8.2') });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('npm 10.8.2 is too old');
    expect(check({ npm_config_user_agent: agent('npm/10.8.2'), npm_execpath: fakeClient(scratch, 'npm', '11.16.1') }).status).toBe(0);
  });

  it('stops other clients, which ignore allowScripts, naming npm', () => {
    for (const [env, name] of [
      [{ npm_config_user_agent: agent('yarn/1.22.22 npm/?') }, 'yarn 1.22.22'],
      [{ npm_execpath: fakeClient(scratch, 'pnpm', '10.12.1') }, 'pnpm 10.12.1'],
      [{ npm_config_user_agent: agent('bun/1.2.0 npm/?') }, 'bun 1.2.0'],
    ] as const) {
      const r = check(env);
      expect(r.status).toBe(1);
      expect(r.stderr).toContain(`${name} is not supported: install ragbench with npm >= 11.16.0`);
    }
  });

  it('run by hand, asks the npm on PATH (the one an install would use)', () => {
    const npm = spawnSync('npm', ['--version'], { encoding: 'utf8' }).stdout.trim();
    const r = check({});
    expect(r.status).toBe(npm.localeCompare('11.16.0', undefined, { numeric: true }) >= 0 ? 0 : 1);
  });

  it('names an old Node and its fix', async () => {
    const mod = (await import(pathToFileURL(script).href)) as CheckNpm;
    const required = { npm: '11.16.0', node: '20.19.0' };
    const problems = mod.installProblems({ client: { name: 'npm', version: '11.19.1' }, nodeVersion: 'v20.16.0', required });
    expect(problems[0]).toBe('Node 20.16.0 is too old: ragbench needs Node >= 20.19.0 (package.json "engines").');
    expect(problems[1]).toContain('nvm install 20');
    expect(mod.installProblems({ client: { name: 'npm', version: '11.19.1' }, nodeVersion: 'v22.12.0', required })).toEqual([]);
    expect([mod.compareVersions('11.9.1', '11.16.0'), mod.compareVersions('v20.19.0', '20.19.0'), mod.compareVersions('12.0.0-pre', '11.16.0')]).toEqual([-1, 0, 1]);
  });
});
