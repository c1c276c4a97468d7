/**
 * SQuAD 2.0 dev passages (CC BY-SA 4.0) from ../shared beside the repo, as chunks: each
 * article is one document whose text is its paragraphs joined by a blank line, one
 * paragraph per "page". Questions keep the paragraph that answers them.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Chunk } from '../../src/chunk/types.ts';
import type { Retriever } from '../../src/retrieve/types.ts';

export const SQUAD_FILE = fileURLToPath(new URL('../../../shared/data/squad/dev-v2.0-shared.json', import.meta.url));

interface SquadJson {
  data: { title: string; paragraphs: { context: string; qas: { id: string; question: string; is_impossible: boolean }[] }[] }[];
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
  const json = JSON.parse(readFileSync(SQUAD_FILE, 'utf8')) as SquadJson;
  const chunks: Chunk[] = [];
  const docs = new Map<string, string>();
  const questions: SquadQuestion[] = [];
  for (const article of json.data.slice(0, articles)) {
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
      for (const q of p.qas) if (!q.is_impossible) questions.push({ id: q.id, question: q.question, chunkId: id });
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
