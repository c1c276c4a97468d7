/**
 * SQuAD 2.0 dev paragraphs and questions (CC BY-SA 4.0, Rajpurkar, Jia & Liang 2018; see
 * golden/squad-dev/ATTRIBUTION.md), read from the bundled golden set so that a clone needs
 * nothing beside itself. Every paragraph of the 12 articles is the evidence of at least one
 * answerable question, so questions.jsonl holds all of them, in their original order.
 *
 * As chunks: each article is one document whose text is its paragraphs joined by a blank
 * line, one paragraph per "page". Questions keep the paragraph that answers them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Chunk } from '../../src/chunk/types.ts';
import type { Retriever } from '../../src/retrieve/types.ts';

export const SQUAD_GOLDEN_DIR = fileURLToPath(new URL('../../golden/squad-dev/', import.meta.url));

export interface SquadQa {
  id: string;
  question: string;
  isImpossible: boolean;
  /** Distinct answer texts with their offset in the paragraph (empty when impossible). */
  answers: { text: string; start: number }[];
}

export interface SquadArticle {
  title: string;
  paragraphs: { context: string; qas: SquadQa[] }[];
}

interface GoldenLine {
  id: string;
  question: string;
  answerable: boolean;
  answers: string[];
  evidence: { doc: string; text: string; answers?: { text: string; start: number }[] }[];
}

const articlesByDir = new Map<string, SquadArticle[]>();

/**
 * The SQuAD articles of a golden set made by scripts/make-squad-golden.ts: titles in manifest
 * order, paragraphs in order of first use as evidence. An unanswerable question has no
 * evidence: it joins the paragraph of the answerable question before it (SQuAD 2.0 lists a
 * paragraph's unanswerable questions after its answerable ones), so the order of all
 * questions is kept.
 */
export function readSquadArticles(dir: string = SQUAD_GOLDEN_DIR): SquadArticle[] {
  const cached = articlesByDir.get(dir);
  if (cached) return cached;
  const manifestFile = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { documents: { id: string }[] };
  const articles: SquadArticle[] = manifest.documents.map((d) => ({ title: d.id, paragraphs: [] }));
  const articleIndex = new Map(articles.map((a, i) => [a.title, i]));
  const questionsFile = join(dir, 'questions.jsonl');
  let position = { article: 0, paragraph: -1 };
  let pending: SquadQa[] = [];

  readFileSync(questionsFile, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      const where = `${questionsFile}:${i + 1}`;
      const q = JSON.parse(line) as GoldenLine;
      if (!q.answerable) {
        const impossible: SquadQa = { id: q.id, question: q.question, isImpossible: true, answers: [] };
        const current = articles[position.article]?.paragraphs[position.paragraph];
        if (current) current.qas.push(impossible);
        else pending.push(impossible);
        return;
      }
      const evidence = q.evidence[0];
      if (!evidence || q.evidence.length > 1) throw new Error(`${where}: expected one evidence paragraph (SQuAD), got ${q.evidence.length}`);
      const a = articleIndex.get(evidence.doc);
      const article = a === undefined ? undefined : articles[a];
      if (a === undefined || !article) throw new Error(`${where}: evidence doc "${evidence.doc}" is not in ${manifestFile}`);
      let p = article.paragraphs.findIndex((x) => x.context === evidence.text);
      if (p < 0) p = article.paragraphs.push({ context: evidence.text, qas: [] }) - 1;
      if (a < position.article || (a === position.article && p < position.paragraph)) {
        throw new Error(`${where}: question ${q.id} goes back to an earlier paragraph; questions must be in SQuAD order`);
      }
      position = { article: a, paragraph: p };
      const answers = q.answers.map((text) => {
        const start = evidence.answers?.find((o) => o.text === text)?.start ?? evidence.text.indexOf(text);
        if (start < 0) throw new Error(`${where}: answer "${text}" is not in its evidence paragraph`);
        return { text, start };
      });
      article.paragraphs[p]?.qas.push(...pending, { id: q.id, question: q.question, isImpossible: false, answers });
      pending = [];
    });

  if (pending.length) throw new Error(`${questionsFile}: no answerable question`);
  for (const article of articles) {
    if (!article.paragraphs.length) throw new Error(`${questionsFile}: no question has its evidence in "${article.title}"`);
  }
  articlesByDir.set(dir, articles);
  return articles;
}

export interface SquadQuestion {
  id: string;
  question: string;
  /** Id of the chunk (paragraph) that answers it. */
  chunkId: string;
}

export interface SquadCorpus {
  chunks: Chunk[];
  /** Document text by doc id: chunk spans index into it. */
  docs: Map<string, string>;
  questions: SquadQuestion[];
}

/** The first `paragraphsPerArticle` paragraphs of each of the first `articles` articles. */
export function loadSquad(articles = 12, paragraphsPerArticle = Infinity): SquadCorpus {
  const chunks: Chunk[] = [];
  const docs = new Map<string, string>();
  const questions: SquadQuestion[] = [];
  for (const article of readSquadArticles().slice(0, articles)) {
    let text = '';
    article.paragraphs.slice(0, paragraphsPerArticle).forEach((p, i) => {
      if (i > 0) text += '\n\n';
      const id = `${article.title}#${i}`;
      chunks.push({
        id,
        docId: article.title,
        text: p.context,
        charStart: text.length,
        charEnd: text.length + p.context.length,
        page: i + 1,
        pageEnd: i + 1,
        extractor: 'squad-json',
      });
      text += p.context;
      for (const q of p.qas) if (!q.isImpossible) questions.push({ id: q.id, question: q.question, chunkId: id });
    });
    docs.set(article.title, text);
  }
  return { chunks, docs, questions };
}

/** Questions whose answering paragraph (in loadSquad(12, 3)) any decent retriever ranks first. */
export const CLEAR_QUESTIONS: readonly [string, string][] = [
  ['Who was the duke in the battle of Hastings?', 'Normans#1'],
  ['On what date did Henry Kissinger negotiate an Israeli troop withdrawal from the Sinai Peninsula?', '1973_oil_crisis#1'],
  ['Who was the inventor of the atmospheric engine?', 'Steam_engine#1'],
];

/** Share of questions whose paragraph is ranked first, and within the top 5. */
export async function rankQuality(retriever: Retriever, questions: readonly SquadQuestion[]): Promise<{ hitAt1: number; recallAt5: number }> {
  let first = 0;
  let top5 = 0;
  for (const q of questions) {
    const ids = (await retriever.search(q.question, 5)).map((h) => h.chunk.id);
    if (ids[0] === q.chunkId) first++;
    if (ids.includes(q.chunkId)) top5++;
  }
  return { hitAt1: first / questions.length, recallAt5: top5 / questions.length };
}
