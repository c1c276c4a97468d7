import type { GoldenQuestion } from '../evaluate/golden.ts';

type Question = Pick<GoldenQuestion, 'id' | 'evidence'>;

const passageKey = (e: { doc: string; text: string }): string => `${e.doc}\u0000${e.text}`;

/**
 * Questions that share an evidence passage (directly or through another question), in sample
 * order. A group never straddles two shards: a run counts each located passage once
 * (accuracy.evidenceLocated / evidenceFuzzy), so the shards' counts then add up exactly.
 */
export function passageGroups(questions: readonly Question[]): number[][] {
  const parent = questions.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i] as number] as number;
    return i;
  };
  const firstWith = new Map<string, number>();
  questions.forEach((q, i) => {
    for (const e of q.evidence) {
      const key = passageKey(e);
      const j = firstWith.get(key);
      if (j === undefined) firstWith.set(key, i);
      else parent[root(i)] = root(j);
    }
  });
  const groups = new Map<number, number[]>();
  questions.forEach((_, i) => {
    const r = root(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  });
  // Ordered by each group's first question: deterministic, whatever the union order was.
  return [...groups.values()].sort((a, b) => (a[0] as number) - (b[0] as number));
}

/**
 * The positions (in sample order) of the questions shard `index` of `count` scores: passage
 * groups dealt one by one to the shard holding the fewest questions of that group's document,
 * then the fewest questions overall, then the lowest index — so every shard gets its share of
 * every document, and the split depends only on the sample (the same on every machine).
 */
export function questionShare(questions: readonly Question[], index: number, count: number): number[] {
  const perDoc = new Map<string, number[]>();
  const totals = new Array<number>(count).fill(0);
  const mine: number[] = [];
  for (const group of passageGroups(questions)) {
    const doc = questions[group[0] as number]?.evidence[0]?.doc ?? '';
    let counts = perDoc.get(doc);
    if (!counts) perDoc.set(doc, (counts = new Array<number>(count).fill(0)));
    let best = 0;
    for (let s = 1; s < count; s++) {
      const [a, b] = [counts[s] as number, counts[best] as number];
      if (a < b || (a === b && (totals[s] as number) < (totals[best] as number))) best = s;
    }
    counts[best] = (counts[best] as number) + group.length;
    totals[best] = (totals[best] as number) + group.length;
    if (best === index - 1) mine.push(...group);
  }
  return mine.sort((a, b) => a - b);
}

/** How many groups the questions fall into: the most shards a question split can fill. */
export function passageGroupCount(questions: readonly Question[]): number {
  return passageGroups(questions).length;
}
