import { readFileSync } from 'node:fs';
import { seededRandom } from '../../src/stats/random.ts';
import type { GoldenSample, QueryRecord, RunResult, Summary } from '../../src/summary/schema.ts';
import { makeRun, makeSummary } from '../gate/fixtures.ts';

/**
 * A default-suite-sized report load built from the bundled golden set's real text: 12 runs ×
 * 1,000 questions (an even sample of golden/squad-dev, real questions, answers and evidence)
 * × 5 hits whose quotes are ~400-character windows of the real paragraphs. Harsher than the
 * default suite for the report's weight: every run gets a chunking of its own (windows at a
 * different phase), where in the default suite seven runs share the router/sentence chunks.
 * Outcomes are drawn with a seeded PRNG and the summary's per-question arrays, intervals and
 * counts agree with the records.
 */

interface GoldenLine {
  id: string;
  question: string;
  answerable: boolean;
  answers: string[];
  evidence: { doc: string; page: number; pageEnd: number; text: string }[];
}

const GOLDEN = 'golden/squad-dev/questions.jsonl';

export interface LoadOptions {
  runs?: number;
  questions?: number;
  hits?: number;
  quoteChars?: number;
}

interface Chunk {
  doc: string;
  page: number;
  start: number;
  text: string;
}

/** Each document's text: its distinct evidence paragraphs in order of first appearance. */
function corpus(lines: readonly GoldenLine[]): Map<string, { text: string; pages: { at: number; page: number }[] }> {
  const docs = new Map<string, { text: string; pages: { at: number; page: number }[]; seen: Set<string> }>();
  for (const q of lines) {
    for (const e of q.evidence) {
      const d = docs.get(e.doc) ?? { text: '', pages: [], seen: new Set<string>() };
      docs.set(e.doc, d);
      if (d.seen.has(e.text)) continue;
      d.seen.add(e.text);
      d.pages.push({ at: d.text.length, page: e.page });
      d.text += `${e.text}\n`;
    }
  }
  return docs;
}

function chunking(docs: ReturnType<typeof corpus>, phase: number, size: number): Map<string, Chunk[]> {
  const out = new Map<string, Chunk[]>();
  for (const [doc, d] of docs) {
    const chunks: Chunk[] = [];
    for (let start = phase % size; start < d.text.length; start += size) {
      const page = [...d.pages].reverse().find((p) => p.at <= start)?.page ?? 1;
      chunks.push({ doc, page, start, text: d.text.slice(start, start + size) });
    }
    out.set(doc, chunks);
  }
  return out;
}

const NAMES = ['router·sentence', 'pdf-parse·sentence', 'pdfjs·sentence', 'mupdf·sentence', 'router·fixed1000', 'router·semantic', 'bm25', 'hybrid·convex', 'hybrid·rrf', 'faiss-hnsw', 'hnswlib', 'exact'];

export interface Load {
  summary: Summary;
  queries: QueryRecord[];
}

export function defaultSuiteLoad(options: LoadOptions = {}): Load {
  const { runs: runCount = 12, questions: questionCount = 1000, hits: hitCount = 5, quoteChars = 400 } = options;
  const lines = readFileSync(GOLDEN, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as GoldenLine);
  const step = lines.length / questionCount;
  const sample = Array.from({ length: questionCount }, (_, i) => lines[Math.floor(i * step)] as GoldenLine);
  const docs = corpus(lines);
  const docIds = [...docs.keys()];
  const random = seededRandom(7);
  const queries: QueryRecord[] = [];
  const runs: RunResult[] = [];
  for (let r = 0; r < runCount; r++) {
    const name = NAMES[r % NAMES.length] ?? `run${r}`;
    const id = `extractor=router chunker={name: sentence, n: 5, overlap: 1, phase: ${r}} embedder=use-lite store=faiss-flat retriever=dense #${r} ${name}`;
    const chunks = chunking(docs, r * 33, quoteChars);
    const missRate = 0.05 + 0.02 * r;
    const semantic: (number | null)[] = [];
    const hitAt1: (number | null)[] = [];
    let correctCitations = 0;
    let answerCitations = 0;
    for (const q of sample) {
      const ev = q.evidence[0];
      const home = ev?.doc ?? (docIds[Math.floor(random() * docIds.length)] as string);
      const pool = chunks.get(home) ?? [];
      // The chunk holding the first answer's occurrence in the evidence: what a good retriever returns.
      const evStart = ev ? (docs.get(home)?.text.indexOf(ev.text) ?? -1) : -1;
      const answerAt = ev ? Math.max(0, ev.text.toLowerCase().indexOf((q.answers[0] ?? '').toLowerCase())) : 0;
      const goldChunk = evStart < 0 ? -1 : pool.findIndex((c) => evStart + answerAt >= c.start && evStart + answerAt < c.start + quoteChars);
      const found = q.answerable && goldChunk >= 0 && random() > missRate;
      const picks = new Set<number>(found ? [goldChunk] : []);
      while (picks.size < Math.min(hitCount, pool.length)) picks.add(Math.floor(random() * pool.length));
      const order = [...picks].sort(() => random() - 0.5);
      let score = 0.9 - random() * 0.2;
      const hits = order.map((ci, i) => {
        const c = pool[ci] as Chunk;
        const lower = c.text.toLowerCase();
        score -= random() * 0.05;
        return {
          rank: i + 1,
          score,
          chunkId: `${c.doc}#${ci}`,
          citation: { doc: c.doc, page: c.page, pageEnd: c.page, charStart: c.start, charEnd: c.start + c.text.length, quote: c.text },
          relevant: ci === goldChunk,
          containsAnswer: q.answers.some((a) => lower.includes(a.toLowerCase())),
          citationVerified: random() > 0.01,
        };
      });
      const sem = q.answerable ? (hits.some((h) => h.relevant && h.containsAnswer) ? 1 : 0) : null;
      const h1 = q.answerable ? (hits[0]?.relevant ? 1 : 0) : null;
      semantic.push(sem);
      hitAt1.push(h1);
      const cite = hits.find((h) => h.containsAnswer);
      const answerCitation = q.answerable && cite ? { rank: cite.rank, correct: cite.relevant && cite.citationVerified, ...(cite.relevant ? {} : { reason: `cites ${cite.citation.doc} p. ${cite.citation.page}, not the gold evidence` }) } : undefined;
      if (answerCitation) {
        answerCitations++;
        if (answerCitation.correct) correctCitations++;
      }
      const failed = [...(sem === 0 ? ['semanticAccuracy'] : []), ...(h1 === 0 ? ['hitAt1'] : []), ...(answerCitation && !answerCitation.correct ? ['citationAccuracy'] : [])];
      queries.push({
        run: id,
        questionId: q.id,
        question: q.question,
        answerable: q.answerable,
        answers: q.answers,
        evidence: q.evidence,
        hits,
        ...(answerCitation ? { answerCitation } : {}),
        topScore: hits[0]?.score ?? null,
        metrics: { citationFaithfulness: hits.filter((h) => h.citationVerified).length / hits.length, ...(sem === null ? {} : { semanticAccuracy: sem, hitAt1: h1 ?? 0 }) },
        failed,
        searchMs: 5 + random() * 30,
      });
    }
    const rate = (xs: (number | null)[]): number => {
      const v = xs.filter((x): x is number => x !== null);
      return v.reduce((a, b) => a + b, 0) / v.length;
    };
    const sem = rate(semantic);
    const half = 1.96 * Math.sqrt((sem * (1 - sem)) / semantic.filter((x) => x !== null).length);
    runs.push(
      makeRun(id, {
        name,
        accuracy: {
          semanticAccuracy: sem,
          hitAt1: rate(hitAt1),
          citationAccuracy: correctCitations / answerCitations,
          answerCitations,
          answerCitationsCorrect: correctCitations,
          noAnswerAuroc: 0.5 + r * 0.01,
          intervals: {
            semanticAccuracy: { low: sem - half, high: sem + half },
            citationAccuracy: { low: correctCitations / answerCitations - 0.02, high: Math.min(1, correctCitations / answerCitations + 0.02) },
            noAnswerAuroc: { low: 0.46 + r * 0.01, high: 0.54 + r * 0.01 },
          },
        },
        perQuestion: { semanticAccuracy: semantic, hitAt1 },
        latency: { p50Ms: 10 + r, p95Ms: 20 + 3 * r, p99Ms: 30 + 4 * r },
        ingest: { embeddingSource: r % 3 === 0 ? 'cache' : 'model' },
      }),
    );
  }
  const answerable = sample.filter((q) => q.answerable).length;
  const goldenSample: GoldenSample = {
    split: 'test', method: 'even', seed: null, size: sample.length, answerable, unanswerable: sample.length - answerable, shortAnswers: 31,
    ids: sample.map((q) => q.id),
  };
  const summary = makeSummary(runs, {
    golden: { name: 'squad-dev-v2', path: 'golden/squad-dev', documents: docIds.length, questions: lines.length, answerable: lines.filter((q) => q.answerable).length, sample: goldenSample },
    suite: { name: 'default', file: 'suites/default.yml', candidate: NAMES[0] as string },
  });
  return { summary, queries };
}
