import { describe, expect, it } from 'vitest';
import { evaluateGate } from '../../src/gate/evaluate.ts';
import { backendsSection } from '../../src/report/backends.ts';
import { consensusSection } from '../../src/report/consensus.ts';
import { buildReportData, type ReportData } from '../../src/report/data.ts';
import { readReportData } from '../../src/report/pack.ts';
import { DEFAULT_QUORUM, fractionText, readQuorum, type QuorumBackend } from '../../src/report/quorum.ts';
import { renderReport } from '../../src/report/write.ts';
import { mcnemarExactP } from '../../src/stats/mcnemar.ts';
import { makeRun, makeSummary } from '../gate/fixtures.ts';
import { BACKENDS, backendRun, consensusSummary, realConsensusSummary, skippedPinecone } from './consensus-fixtures.ts';
import { PAYLOADS } from './hostile.ts';

const real = realConsensusSummary();

/** The page without its three script elements: what the browser parses as markup. */
const markup = (html: string): string => html.replace(/<script[^>]*>[\s\S]*?<\/script>/g, '');

describe('the faults and quorum each scenario recorded', () => {
  it('names each backend\'s injected faults and the quorum from the summary itself', () => {
    const section = consensusSection(real);
    const five = section?.scenarios.find((x) => x.name === 'two-byzantine-of-five');
    expect(five?.figures?.backends.map((b) => b.faults)).toEqual([[], [], [], ['byzantine (mode random-ids)'], ['byzantine (mode random-ids)']]);
    expect(five?.figures?.backends.map((b) => b.role)).toEqual(['healthy', 'healthy', 'healthy', 'liar', 'liar']);
    const slow = section?.scenarios.find((x) => x.name === 'one-slow');
    expect(slow?.figures?.backends[2]?.faults).toEqual(['slow (latencyMs 1000, operations ["query"])']);
    expect(slow?.figures?.backends[2]?.role).toBe('down');
    expect(five?.figures?.quorum.quorum).toBeCloseTo(2 / 3, 12);
  });
});

describe('what a quorum can and cannot guarantee', () => {
  const equal = (healthy: number, liars: number, down = 0): QuorumBackend[] => [
    ...Array.from({ length: healthy }, (_, i) => ({ name: `ok-${i}`, baseWeight: 1, liar: false, down: false })),
    ...Array.from({ length: liars }, (_, i) => ({ name: `liar-${i + 1}`, baseWeight: 1, liar: true, down: false })),
    ...Array.from({ length: down }, (_, i) => ({ name: `down-${i + 1}`, baseWeight: 1, liar: false, down: true })),
  ];
  const facts = { noQuorum: 2, queries: 470, flagged: 2, flaggedAfter: 4 };

  it('writes fractions of small denominators as fractions', () => {
    expect(fractionText(2 / 3)).toBe('2/3');
    expect(fractionText(0.6)).toBe('3/5');
    expect(fractionText(1)).toBe('1');
    expect(fractionText(0.7321)).toBe('0.732');
  });

  it('counts one faulty backend of three as tolerated by a 2/3 quorum (2/3 is exactly enough)', () => {
    const r = readQuorum(equal(2, 1), null, facts);
    expect(r.quorum).toBe(DEFAULT_QUORUM);
    expect(r.tolerated).toBe(true);
    expect(r.summary).toBe('2 of 3 backends are healthy, holding 2/3 of the weight: at least the quorum (2/3), so the healthy backends alone make a quorum; the 1 faulty backend (liar-1) cannot stop it or outvote it.');
    expect(r.can).toEqual([]);
  });

  it('says plainly what two liars of five leave guaranteed, in docs/consensus.md’s words', () => {
    const r = readQuorum(equal(3, 2), null, facts);
    expect(r.tolerated).toBe(false);
    expect(r.summary).toBe('3 of 5 backends are healthy, holding 3/5 of the weight, less than the quorum (2/3): the 2 faulty backends (liar-1, liar-2) are more than this quorum tolerates.');
    expect(r.can[0]).toMatch(/^No lie is certified\. The liars hold 2\/5 of the weight, below 2\/3, and their trust can only fall/);
    expect(r.can[1]).toBe('The honest plurality answers, even before the quorum is met: 3 presence votes beat 2, even if the liars collude on the same wrong ids.');
    expect(r.can[2]).toContain('Here 2 queries of 470 went without a quorum, and the liars were flagged suspect after 4 queries.');
    expect(r.cannot.map((t) => t.split('.')[0])).toEqual([
      'An answer when one more backend fails',
      'Anything against liars that hold the majority of the weight: they become the consensus, the honest backends lose trust, and lies are certified',
      'Truth',
      'The order of ties or ANN misses among honest backends',
    ]);
  });

  it('promises nothing about answers when the liars hold the majority, and names what crashes cost', () => {
    const majority = readQuorum(equal(2, 3), null, facts);
    expect(majority.can).toEqual(['Nothing about the answers: the liars (liar-1, liar-2, liar-3) hold 3/5 of the weight.']);
    expect(majority.cannot[0]).toMatch(/^Anything against liars that hold the majority/);
    // A quorum of 3/4 set by the suite: one crashed backend of three is already too many.
    const crashed = readQuorum(equal(2, 0, 1), 0.75, { noQuorum: 470, queries: 470, flagged: 0, flaggedAfter: null });
    expect(crashed.quorumSource).toBe('suite');
    expect(crashed.tolerated).toBe(false);
    expect(crashed.cannot[0]).toBe(
      'A quorum while they are down. The quorum counts the configured weight, answering or not, so the 2 healthy backends (2/3) never reach 3/4: answers are best effort and flagged (here 470 of 470 queries), or refused with onNoQuorum: error, until enough backends return.',
    );
  });

  it('weighs backends by their base weight, not their number', () => {
    const heavy: QuorumBackend[] = [
      { name: 'a', baseWeight: 3, liar: false, down: false },
      { name: 'b', baseWeight: 1, liar: true, down: false },
      { name: 'c', baseWeight: 1, liar: true, down: false },
    ];
    expect(readQuorum(heavy, null, facts).tolerated).toBe(false); // 3/5 < 2/3
    expect(readQuorum(heavy, 0.6, facts).tolerated).toBe(true);
  });
});

describe('consensus section from the real consensus suite', () => {
  const section = consensusSection(consensusSummary())!;
  const scenario = (name: string) => section.scenarios.find((x) => x.name === name)!;

  it('has one scenario per consensus run, against the fault-free run the suite named', () => {
    expect(section.faultFreeRun).toBe('healthy');
    expect(section.scenarios.map((x) => x.name)).toEqual(['healthy', 'one-crashed', 'one-slow', 'one-byzantine', 'two-byzantine-of-five', 'down-during-ingest', 'lost-wal', 'with-pinecone']);
    expect(scenario('healthy').figures?.isFaultFree).toBe(true);
    expect(scenario('healthy').figures?.paired).toBeNull();
    expect(scenario('with-pinecone')).toMatchObject({ status: 'skipped', figures: null });
    expect(scenario('with-pinecone').error).toContain('PINECONE_API_KEY is not set');
  });

  it('carries agreement, answers and the flagged liars as the router reported them', () => {
    const five = scenario('two-byzantine-of-five').figures!;
    expect(five.agreement).toBeCloseTo(0.9626, 4);
    expect(five.answeredFraction).toBeCloseTo(468 / 470, 6);
    expect(five.noQuorum).toBe(2);
    expect(five.backends.map((b) => [b.name, b.role, b.suspect, b.flaggedAfterQueries])).toEqual([
      ['exact', 'healthy', false, null],
      ['faiss-flat', 'healthy', false, null],
      ['hnswlib', 'healthy', false, null],
      ['liar-1', 'liar', true, 4],
      ['liar-2', 'liar', true, 4],
    ]);
    expect(five.quorum.tolerated).toBe(false);
    expect(five.quorum.can[2]).toContain('Here 2 queries of 470 went without a quorum, and the liars were flagged suspect after 4 queries.');
    const byz = scenario('one-byzantine').figures!;
    expect(byz.backends[2]).toMatchObject({ name: 'faulty-hnswlib', role: 'liar', suspect: true, flaggedAfterQueries: 6, faults: ['byzantine (mode other-document)'] });
    expect(byz.quorum.tolerated).toBe(true);
  });

  it('tells a crashed or behind backend from a liar, and keeps its line of the reconciliation', () => {
    const down = scenario('down-during-ingest').figures!;
    const hnsw = down.backends[2]!;
    expect(hnsw).toMatchObject({ role: 'down', behind: true, skippedBehind: 470 });
    expect(hnsw.reconcile).toEqual({ reachable: false, error: 'faulty(hnswlib): connect ECONNREFUSED (injected crash)', count: 0, missingCount: 0, extraCount: 0, walPending: 10 });
    expect(down.writes).toEqual({ batches: 11, retries: 2, walAppends: 10, walReplayed: 0, walPending: 10 });
    expect(down.chunksLost).toBe(0);
    expect(down.reconcile?.consistent).toBe(false);
  });

  it('sets consensus p95 against the fault-free run and the slowest healthy backend', () => {
    const slow = scenario('one-slow').figures!;
    expect(slow.latency.faultFreeP95).toBeCloseTo(2.5417, 4);
    expect(slow.latency.overheadVsFaultFree).toBeCloseTo(253.676 / 2.5417 - 1, 2);
    // The slow backend timed out on every query: it has no p95, and it is not healthy anyway.
    expect(slow.latency.slowestHealthy).toEqual({ name: 'exact', p95: expect.closeTo(3.4336, 4) });
    expect(slow.latency.overheadVsSlowestHealthy).toBeCloseTo(253.676 / 3.4336 - 1, 2);
    // A backend that failed a query is not the yardstick: one-crashed measures against exact, not the crashed hnswlib.
    expect(scenario('one-crashed').figures?.latency.slowestHealthy?.name).toBe('exact');
    expect(scenario('one-crashed').figures?.latency.overheadVsSlowestHealthy).toBeCloseTo(1.9189 / 1.8153 - 1, 3);
    expect(scenario('healthy').figures?.latency.overheadVsFaultFree).toBeNull();
  });

  it('pairs semantic accuracy with the fault-free run question by question (exact McNemar)', () => {
    expect(scenario('one-crashed').figures?.paired).toEqual({ faultFree: expect.closeTo(83 / 151, 9), delta: 0, onlyRun: 0, onlyFaultFree: 0, pValue: 1 });
    const lossy = scenario('lost-wal').figures!;
    expect(lossy.paired?.onlyRun).toBe(0);
    expect(lossy.paired?.onlyFaultFree).toBe(12);
    expect(lossy.paired?.pValue).toBe(mcnemarExactP(0, 12));
    expect(lossy.paired?.delta).toBeCloseTo(-12 / 151, 9);
  });

  it('lists the chunks lost with the reconciliation’s failure sentence', () => {
    const lossy = scenario('lost-wal').figures!;
    expect(lossy.chunksLost).toBe(3);
    expect(lossy.reconcile?.lostIds).toEqual(['doc-7#12', PAYLOADS[0], PAYLOADS[1]]);
    expect(lossy.reconcile?.failure).toMatch(/^consensus: 3 of 701 written chunks are held by no reachable backend and no write-ahead log: doc-7#12, /);
  });

  it('compares with nothing when the suite names no fault-free run', () => {
    const s = realConsensusSummary();
    for (const r of s.runs) Object.assign(r.consensus!, { faultFreeRun: null, identicalToFaultFree: null });
    const alone = consensusSection(s)!;
    expect(alone.faultFreeRun).toBeNull();
    for (const x of alone.scenarios) {
      expect(x.figures).toMatchObject({ isFaultFree: false, paired: null, identicalToFaultFree: null, latency: { faultFreeP95: null, overheadVsFaultFree: null } });
    }
    // What does not need a reference stays: the quorum reading and the overhead over the slowest healthy backend.
    expect(alone.scenarios[4]?.figures?.quorum.tolerated).toBe(false);
    expect(alone.scenarios[0]?.figures?.latency.overheadVsSlowestHealthy).toBeCloseTo(0.2105, 4);
  });

  it('is absent when no run used the router', () => {
    expect(consensusSection(makeSummary([makeRun('plain')]))).toBeNull();
  });
});

describe('backends section', () => {
  const summary = makeSummary([...BACKENDS.map(backendRun), skippedPinecone()], { suite: { name: 'backends', file: 'suites/backends.yml' } });
  const section = backendsSection(summary)!;

  it('has a row per store with recall, throughput, ingest, latency and accuracy, and the skipped one with its reason', () => {
    expect(section.concurrency).toBe(8);
    expect(section.rows.map((r) => [r.name, r.status, r.recallAt10VsExact, r.throughput?.queriesPerSecond ?? null])).toEqual([
      ['exact', 'completed', 1, 2150],
      ['faiss-flat', 'completed', 1, 8420],
      ['faiss-hnsw', 'completed', 0.984, 12900],
      ['hnswlib', 'completed', 0.971, 15300],
      ['chroma', 'completed', 0.992, 410],
      ['pgvector', 'completed', 0.962, 880],
      [`pinecone ${PAYLOADS[3]}`, 'skipped', null, null],
    ]);
    expect(section.rows[5]).toMatchObject({ store: 'pgvector', vectors: 701, ingestSeconds: 39.1, queryP95Ms: 33.5, semanticAccuracy: 0.536, semanticInterval: { low: 0.536 - 0.08, high: 0.536 + 0.08 } });
    expect(section.rows[5]?.throughput?.errors).toBe(2);
    expect(section.rows[6]).toMatchObject({ store: 'pinecone(namespace=ragbench-nightly)', error: expect.stringContaining('PINECONE_API_KEY is not set') });
  });

  it('is absent without backend figures, and leaves consensus runs to their own section', () => {
    expect(backendsSection(makeSummary([makeRun('plain')]))).toBeNull();
    expect(backendsSection(consensusSummary())).toBeNull();
    const mixed = makeSummary([backendRun(BACKENDS[0]!), ...consensusSummary().runs]);
    expect(backendsSection(mixed)?.rows.map((r) => r.name)).toEqual(['exact']);
  });

  it('says when the runs were measured at different concurrencies', () => {
    const other = backendRun(BACKENDS[1]!);
    other.backend!.throughput!.concurrency = 16;
    expect(backendsSection(makeSummary([backendRun(BACKENDS[0]!), other]))?.concurrency).toBeNull();
  });
});

describe('report page with consensus and backend sections', () => {
  const summary = consensusSummary();
  const html = renderReport(summary, []);
  const backendsHtml = renderReport(makeSummary([...BACKENDS.map(backendRun), skippedPinecone()]), []);

  it('links the sections a summary has, and only those', () => {
    expect(html).toContain('<a href="#consensus">Consensus</a>');
    expect(html).not.toContain('<a href="#backends">');
    expect(backendsHtml).toContain('<a href="#backends">Backends</a>');
    expect(backendsHtml).not.toContain('<a href="#consensus">');
    const plain = renderReport(makeSummary([makeRun('plain')]), []);
    expect(plain).not.toMatch(/href="#(consensus|backends)"/);
  });

  it('inlines the sections’ data losslessly, hostile ids and reasons included', () => {
    const data = readReportData(html) as ReportData;
    const expected = buildReportData({ summary, queries: [], verdict: evaluateGate(summary), verdictSource: 'production defaults' });
    expect(data.consensus).toEqual(JSON.parse(JSON.stringify(expected.consensus)));
    expect(data.consensus?.scenarios.find((x) => x.name === 'lost-wal')?.figures?.reconcile?.lostIds).toContain(PAYLOADS[0]);
    expect((readReportData(backendsHtml) as ReportData).backends?.rows).toHaveLength(7);
  });

  it('never lets an id, reason or backend name out as markup', () => {
    for (const page of [html, backendsHtml]) {
      for (const raw of ['<script>window.__pwned', '<img src=x', '<svg onload']) expect(markup(page)).not.toContain(raw);
    }
  });

  it('shows a skipped run as skipped with its reason, not as an error', () => {
    const data = readReportData(backendsHtml) as ReportData;
    const skipped = data.runs.find((r) => r.status === 'skipped');
    expect(skipped?.error).toContain('PINECONE_API_KEY is not set');
  });
});
