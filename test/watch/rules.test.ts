import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/util/errors.ts';
import { baselineAccuracy } from '../../src/watch/canary.ts';
import { loadRules, parseRules } from '../../src/watch/rules.ts';

const valid = {
  version: 1,
  pollSeconds: 1,
  triggers: [{ name: 'p95', metric: 'p95_latency_seconds', comparison: 'above', threshold: 2, windowSeconds: 10, minSamples: 5 }],
  action: { command: ['true'] },
};

describe('rollback rules', () => {
  it('config/rollback.yml is valid: the five triggers, 30 s polls, 2 polls in a row, the canary over the bundled test split', async () => {
    const rules = await loadRules('config/rollback.yml');
    expect(rules.triggers.map((t) => t.metric)).toEqual(['p95_latency_seconds', 'error_rate', 'accuracy_drop', 'consensus_agreement', 'cache_hit_ratio']);
    expect([rules.pollSeconds, rules.consecutive, rules.service.maxUnreachableSeconds]).toEqual([30, 2, 120]);
    expect(rules.canary).toMatchObject({ golden: resolve('golden/squad-dev'), split: 'test', baseline: { accuracy: 0.942 } });
  });

  it('fills the defaults', () => {
    const rules = parseRules(valid, 'r.yml');
    expect(rules).toMatchObject({ consecutive: 2, cooldownSeconds: 600, service: { timeoutMs: 5000, maxUnreachableSeconds: 120 }, action: { timeoutSeconds: 300 } });
  });

  it.each([
    [{ ...valid, version: 2 }, 'r.yml: version: Invalid input: expected 1'],
    [{ ...valid, triggers: [{ ...valid.triggers[0], metric: 'p99' }] }, 'r.yml: triggers.0.metric: Invalid option'],
    [{ ...valid, triggers: [{ ...valid.triggers[0], minSamples: 0 }] }, 'r.yml: triggers.0.minSamples: Too small'],
    [{ ...valid, triggers: [{ ...valid.triggers[0], windowSeconds: 0.5 }] }, 'r.yml: triggers.0.windowSeconds: 0.5 is shorter than pollSeconds 1'],
    [{ ...valid, triggers: [{ ...valid.triggers[0], metric: 'error_rate', threshold: 5 }] }, 'r.yml: triggers.0.threshold: error_rate is a fraction in [0, 1], got 5'],
    [{ ...valid, triggers: [valid.triggers[0], valid.triggers[0]] }, 'r.yml: triggers.1.name: "p95" is used twice'],
    [{ ...valid, triggers: [{ ...valid.triggers[0], metric: 'accuracy_drop', threshold: 0.05 }] }, 'r.yml: triggers.0.metric: accuracy_drop needs a canary section'],
    [{ ...valid, triggers: [{ ...valid.triggers[0], alpha: 0.01 }] }, 'r.yml: triggers.0.alpha: only accuracy_drop takes a significance level'],
    [{ ...valid, action: {} }, 'r.yml: action: needs a command, a webhook, or both'],
    [{ ...valid, action: { webhook: { url: 'ftp://x' } } }, 'r.yml: action.webhook.url: Invalid URL'],
    [{ ...valid, extra: 1 }, 'r.yml: (root): Unrecognized key: "extra"'],
  ])('refuses %j naming the field', (rules, message) => {
    expect(() => parseRules(rules, 'r.yml')).toThrowError(InputError);
    expect(() => parseRules(rules, 'r.yml')).toThrowError(message);
  });

  it('names the file of a missing or malformed rules file', async () => {
    await expect(loadRules('config/nope.yml')).rejects.toThrowError('config/nope.yml: cannot read rules: ENOENT');
    const file = join(await mkdtemp(join(tmpdir(), 'ragbench-rules-')), 'r.yml');
    await writeFile(file, 'version: 1\ntriggers: [\n');
    await expect(loadRules(file)).rejects.toThrowError(`${file}: invalid YAML`);
  });

  it('reads a baseline accuracy from a summary.json run, naming the run when it is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ragbench-rules-'));
    await expect(baselineAccuracy({ accuracy: 0.9 })).resolves.toEqual({ accuracy: 0.9, source: 'rules' });
    const missing = join(dir, 'none.json');
    await expect(baselineAccuracy({ summary: missing })).rejects.toThrowError(InputError);
    const summary = 'test/report/fixtures/consensus-summary.json';
    await expect(baselineAccuracy({ summary, run: 'one-slow' })).resolves.toEqual({ accuracy: 0.5496688741721855, source: `${summary} run one-slow` });
    await expect(baselineAccuracy({ summary })).rejects.toThrowError(`${summary}: canary.baseline.run: the summary names no candidate; say which run (runs: healthy, one-crashed`);
    await expect(baselineAccuracy({ summary, run: 'nope' })).rejects.toThrowError('canary.baseline.run: no run "nope"');
  });
});
