import { describe, expect, it } from 'vitest';
import { formatRunTable } from '../../src/cli/run-table.ts';
import { makeRun, makeSummary } from '../gate/fixtures.ts';
import { BACKENDS, backendRun, consensusSummary, skippedPinecone } from './consensus-fixtures.ts';

/** The lines of a block: from its title line to the next blank line. */
function block(table: string, title: string): string[] {
  const lines = table.split('\n');
  const start = lines.findIndex((l) => l.startsWith(title));
  if (start < 0) return [];
  const end = lines.indexOf('', start);
  return lines.slice(start, end < 0 ? undefined : end);
}

const cells = (line: string | undefined): string[] => (line ?? '').trim().split(/\s{2,}/);

describe('CLI run table', () => {
  it('adds a consensus block: agreement, answered, identical to the fault-free run, chunks lost, suspects', () => {
    const table = formatRunTable(consensusSummary());
    const lines = block(table, 'consensus (');
    expect(lines[0]).toBe("consensus (identical: top-k equal to healthy's):");
    expect(cells(lines[1])).toEqual(['run', 'agreement', 'answered%', 'identical%', 'chunks lost', 'p95 overhead%', 'suspect (after n queries)']);
    const row = (name: string) => cells(lines.find((l) => l.startsWith(`${name} `)));
    expect(row('healthy')).toEqual(['healthy', '1.000', '100.0', '100.0', '0', '+21.0', '-']);
    expect(row('two-byzantine-of-five')).toEqual(['two-byzantine-of-five', '0.963', '99.6 (2 no quorum)', '100.0', '0', '+3.0', 'liar-1 (4), liar-2 (4)']);
    expect(row('one-byzantine')).toEqual(['one-byzantine', '0.937', '100.0', '100.0', '0', '+16.8', 'faulty-hnswlib (6)']);
    expect(row('one-slow')).toEqual(['one-slow', '1.000', '100.0', '100.0', '0', '+7288.1', '-']);
    expect(row('lost-wal')).toEqual(['lost-wal', '1.000', '100.0', '96.0', '3', '+3.9', '-']);
    // The skipped scenario measured nothing: it is in the main table, not in this block.
    expect(lines.some((l) => l.startsWith('with-pinecone'))).toBe(false);
  });

  it('shows a skipped run as skipped with its reason, not as an error', () => {
    const table = formatRunTable(consensusSummary());
    const line = table.split('\n').find((l) => l.startsWith('with-pinecone'));
    expect(line).toMatch(/ {2}skipped: pinecone: PINECONE_API_KEY is not set; the run is skipped, not faked /);
    expect(table).not.toContain('ERROR');
    const errored = formatRunTable(makeSummary([makeRun('broken', { status: 'errored', error: 'chunker crashed' })]));
    expect(errored).toContain('ERROR: chunker crashed');
  });

  it('adds a backends block: recall@10 against exact search and queries/s at the concurrency', () => {
    const table = formatRunTable(makeSummary([...BACKENDS.map(backendRun), skippedPinecone()]));
    const lines = block(table, 'backends (');
    expect(cells(lines[1])).toEqual(['run', 'store', 'recall@10', 'queries/s', 'concurrency', 'p95ms', 'errors']);
    expect(cells(lines.find((l) => l.startsWith('chroma')))).toEqual(['chroma', 'chroma', '0.992', '410.0', '8', '29.40', '0']);
    expect(cells(lines.find((l) => l.startsWith('pgvector')))).toEqual(['pgvector', 'pgvector', '0.962', '880.0', '8', '14.90', '2']);
    expect(lines).toHaveLength(2 + BACKENDS.length);
    expect(block(formatRunTable(consensusSummary()), 'backends (')).toEqual([]);
    expect(block(table, 'consensus (')).toEqual([]);
  });

  it('prints control characters of names and reasons as spaces, so the table stays a table', () => {
    const run = makeRun('x', { name: 'evil\u001b[2J\nname', status: 'skipped', error: 'no key\r\n\u001b]0;title\u0007set it' });
    const table = formatRunTable(makeSummary([run]));
    expect(table).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    const line = table.split('\n').find((l) => l.startsWith('evil'));
    expect(line).toMatch(/^evil \[2J name {2}.* {2}skipped: no key ]0;title set it$/);
  });
});
