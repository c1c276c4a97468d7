import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ScoredCandidate } from '../../src/tune/choose.ts';
import { describeProvenance, gitDescribe } from '../../src/tune/provenance.ts';
import { formatTuneTable } from '../../src/tune/table.ts';

const candidates: ScoredCandidate[] = [
  { index: 1, settings: [{ parameter: 'retriever.denseWeight', value: 0.3 }, { parameter: 'retriever.bm25Weight', value: 0.7 }], score: 0.81234, interval: { low: 0.78, high: 0.84 }, ndcgAt10: 0.6, questions: 622 },
  { index: 2, settings: [{ parameter: 'retriever.denseWeight', value: 0.5 }, { parameter: 'retriever.bm25Weight', value: 0.5 }], score: null, ndcgAt10: null, questions: 0, error: 'hybrid: boom' },
];

describe('provenance', () => {
  it('says where, on what, how well, when and from which commit', () => {
    const text = describeProvenance({
      golden: 'squad-dev-v2',
      questions: 622,
      run: 'hybrid',
      candidates: 9,
      objective: 'semanticAccuracy',
      best: candidates[0] as ScoredCandidate,
      date: new Date('2026-12-01T15:00:00Z'),
      commit: 'abc1234-dirty',
    });
    expect(text).toBe(
      'ragbench tune on squad-dev-v2 dev split, 622 answerable questions, objective semanticAccuracy 0.812 [0.780, 0.840], ' +
        'best of 9 candidates for run hybrid, 2026-12-01, commit abc1234-dirty',
    );
  });

  it('reads the commit in a checkout and nothing outside one', async () => {
    expect(await gitDescribe(process.cwd())).toMatch(/^[0-9a-f]{7,}(-dirty)?$|^v?[\w.-]+$/);
    const dir = await mkdtemp(join(tmpdir(), 'ragbench-nogit-'));
    try {
      expect(await gitDescribe(dir)).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('formatTuneTable', () => {
  it('shows every candidate with its interval, the chosen one marked and failures named', () => {
    const lines = formatTuneTable(candidates, 'semanticAccuracy', candidates[0] as ScoredCandidate).split('\n');
    expect(lines[0]).toMatch(/^#\s+retriever\.denseWeight\s+retriever\.bm25Weight\s+semanticAccuracy \[95% CI\]\s+nDCG@10$/);
    expect(lines[2]).toMatch(/^1\s+0\.3\s+0\.7\s+0\.812 \[0\.780, 0\.840\]\s+0\.600\s+<- chosen$/);
    expect(lines[3]).toMatch(/^2\s+0\.5\s+0\.5\s+failed\s+hybrid: boom$/);
  });
});
