import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, readlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSuite, type SuiteRun } from '../../src/suite/runner.ts';
import { QueryRecordSchema, SummarySchema } from '../../src/summary/schema.ts';

const MINI = 'test/fixtures/golden-mini';

/** golden-mini plus a truncated PDF listed in the manifest: a corrupt file in the corpus. */
async function goldenWithCorruptPdf(dir: string): Promise<string> {
  const golden = join(dir, 'golden');
  await cp(MINI, golden, { recursive: true });
  const bad = await readFile('test/fixtures/bad-pdfs/truncated.pdf');
  await writeFile(join(golden, 'docs/Truncated.pdf'), bad);
  const manifest = JSON.parse(await readFile(join(golden, 'manifest.json'), 'utf8'));
  manifest.documents.push({
    id: 'Truncated',
    file: 'docs/Truncated.pdf',
    sha256: createHash('sha256').update(bad).digest('hex'),
    pages: 2,
  });
  await writeFile(join(golden, 'manifest.json'), JSON.stringify(manifest));
  return golden;
}

describe('runSuite on the mini golden set (real PDFs, real model, real FAISS)', () => {
  let run: SuiteRun;
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'ragbench-run-'));
    const golden = await goldenWithCorruptPdf(work);
    const suite = join(work, 'suite.yml');
    await writeFile(
      suite,
      [
        'name: runner-test',
        'k: 3',
        'latency: { samples: 60, rounds: 3 }',
        'matrix:',
        '  - retriever: [dense, bm25, hybrid]',
        '  - { extractor: [mupdf], chunker: [fixed, { name: sentence, n: 2, overlap: 0 }] }',
        '  - { extractor: [mupdf], store: [faiss-hnsw, exact] }',
      ].join('\n'),
    );
    run = await runSuite({ suiteFile: suite, golden, outDir: join(work, 'reports'), cacheDir: join(work, 'cache') });
  });

  it('writes a summary.json that validates against the versioned schema', async () => {
    const onDisk = JSON.parse(await readFile(join(run.dir, 'summary.json'), 'utf8'));
    const parsed = SummarySchema.parse(onDisk);
    expect(parsed.schema).toBe('ragbench-summary/2');
    expect(parsed.golden).toMatchObject({ documents: 4, questions: 14 });
    expect(parsed.golden.sample).toMatchObject({ split: 'all', method: 'all', seed: null, size: 14, answerable: 11, unanswerable: 3 });
    expect(parsed.golden.sample.ids).toHaveLength(14);
    expect(parsed.settings.statistics).toMatchObject({ confidence: 0.95, resamples: 2000 });
    expect(parsed.machine.cpus).toBeGreaterThan(0);
    expect(parsed.versions.mupdf).toMatch(/^\d+\.\d+/);
    expect(await readlink(join(work, 'reports', 'latest'))).toBe(parsed.runId);
  });

  it('skips the corrupt PDF with its reason and ingests the rest', () => {
    for (const r of run.summary.runs.filter((r) => r.status === 'completed')) {
      expect(r.ingest?.documents).toBe(3);
      expect(r.ingest?.failed).toHaveLength(1);
      expect(r.ingest?.failed[0]?.file).toMatch(/Truncated\.pdf$/);
      expect(r.ingest?.failed[0]?.reason.length).toBeGreaterThan(5);
    }
  });

  it('every run completes, with a short unique name', () => {
    expect(run.summary.runs.every((r) => r.status === 'completed')).toBe(true);
    const names = run.summary.runs.map((r) => r.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('default');
    expect(names).toContain('bm25');
    expect(names.every((n) => n.length <= 40)).toBe(true);
  });

  it('records per-question outcomes aligned with the sample, and an interval for every accuracy figure', () => {
    const ids = run.summary.golden.sample.ids;
    for (const r of run.summary.runs) {
      for (const values of Object.values(r.perQuestion ?? {})) expect(values).toHaveLength(ids.length);
      const a = r.accuracy!;
      for (const metric of ['semanticAccuracy', 'hitAt1', 'recallAt5', 'mrrAt10', 'ndcgAt10', 'citationFaithfulness']) {
        const ci = a.intervals[metric];
        const value = a[metric as keyof typeof a] as number;
        expect(ci, `${r.name} ${metric}`).toBeDefined();
        expect(ci!.low).toBeLessThanOrEqual(value + 1e-9);
        expect(ci!.high).toBeGreaterThanOrEqual(value - 1e-9);
      }
      const semantic = r.perQuestion!.semanticAccuracy!;
      const answerable = semantic.filter((v) => v !== null);
      expect(answerable).toHaveLength(run.summary.golden.sample.answerable);
      expect(answerable.reduce((x, y) => x! + y!, 0)! / answerable.length).toBeCloseTo(r.accuracy!.semanticAccuracy, 9);
    }
  });

  it('times the same questions in every round, with a calibration before each', () => {
    for (const r of run.summary.runs) {
      expect(r.latency!.samplesMs).toHaveLength(60);
      expect(r.latency!.calibration?.samplesMs).toHaveLength(3); // 20 a round: none within
      expect(r.latency!.calibration?.workload).toMatch(/reference/);
    }
  });

  it('measures accuracy, latency, ingest and memory for every completed run', () => {
    for (const r of run.summary.runs.filter((r) => r.status === 'completed')) {
      const a = r.accuracy!;
      expect(a.k).toBe(3);
      expect(a.questions).toBe(run.summary.golden.answerable);
      for (const m of [a.citationAccuracy, a.citationFaithfulness, a.semanticAccuracy, a.hitAt1, a.recallAt5, a.recallAt10, a.mrrAt10, a.ndcgAt10]) {
        expect(m).toBeGreaterThanOrEqual(0);
        expect(m).toBeLessThanOrEqual(1);
      }
      // At most k citations a question; lexical retrieval may return fewer when few chunks match.
      const returned = run.records.filter((q) => q.run === r.id).reduce((n, q) => n + q.hits.length, 0);
      expect(a.citations).toBe(returned);
      expect(a.citations).toBeGreaterThan(run.summary.golden.questions * 2);
      expect(a.citations).toBeLessThanOrEqual(run.summary.golden.questions * 3);
      expect(r.latency!.samples).toBe(60);
      expect(r.latency!.roundP95Ms).toHaveLength(3);
      expect(r.latency!.p95Ms).toBeGreaterThanOrEqual(r.latency!.p50Ms);
      expect(r.ingest!.chunks).toBeGreaterThan(3);
      expect(r.memory!.peakRssBytes).toBeGreaterThan(10_000_000);
      expect(r.memory!.scope).toBe('process');
      expect(['model', 'cache', 'mixed', 'none']).toContain(r.ingest!.embeddingSource);
    }
  });

  it('retrieves well on clear questions: BM25 finds most evidence and every citation verifies', () => {
    const bm25 = run.summary.runs.find((r) => r.config.retriever === 'bm25' && r.config.extractor === 'router');
    expect(bm25?.accuracy?.recallAt5).toBeGreaterThanOrEqual(0.8);
    expect(bm25?.accuracy?.citationFaithfulness).toBe(1);
    expect(bm25?.accuracy?.citationAccuracy).toBe(1);
    expect(bm25?.ingest?.embeddingSource).toBe('none');
    expect(bm25?.config).toMatchObject({ embedder: 'none', store: 'none' });
  });

  it('labels runs by configuration and records the router choice per document', () => {
    const ids = run.summary.runs.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain('router/sentence(n=5,overlap=1,maxChars=1500)/bm25');
    const routed = run.summary.runs.find((r) => r.config.extractor === 'router' && r.status === 'completed');
    expect(routed?.routing?.map((x) => x.doc).sort()).toEqual(['Comment_Form_Audit', 'Greyhaven_Lighthouse', 'Harbour_Tides']);
    expect(routed?.routing?.every((x) => x.reason.length > 0)).toBe(true);
  });

  it('writes one queries.jsonl line per question and run, with citations and pass/fail', async () => {
    const lines = (await readFile(join(run.dir, 'queries.jsonl'), 'utf8')).trim().split('\n');
    const completed = run.summary.runs.filter((r) => r.status === 'completed').length;
    expect(lines).toHaveLength(completed * run.summary.golden.questions);
    const records = lines.map((l) => QueryRecordSchema.parse(JSON.parse(l)));
    const answered = records.find((r) => r.answerable && r.failed.length === 0);
    expect(answered?.hits.some((h) => h.relevant && h.containsAnswer)).toBe(true);
    for (const h of answered?.hits ?? []) expect(h.citation.quote.length).toBeGreaterThan(0);
    const unanswerable = records.find((r) => !r.answerable);
    expect(unanswerable?.metrics.semanticAccuracy).toBeUndefined();
  });
});
