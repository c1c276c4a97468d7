// Types for the parts of the wink CommonJS packages that ragbench uses (they ship none).

declare module 'wink-bm25-text-search' {
  interface Bm25Config {
    fldWeights: Record<string, number>;
    bm25Params?: { k1?: number; b?: number; k?: number };
    ovFldNames?: string[];
  }
  interface Bm25Engine {
    defineConfig(config: Bm25Config): boolean;
    definePrepTasks(tasks: ((input: string) => string[])[], field?: string): number;
    addDoc(doc: Record<string, string>, id: string): number;
    consolidate(fp?: number): boolean;
    /** [id, score] pairs, best first; only documents sharing a token with the query. */
    search(text: string, limit?: number): [string, number][];
    reset(): boolean;
  }
  function bm25(): Bm25Engine;
  export = bm25;
}

declare module 'wink-nlp-utils' {
  const utils: {
    tokens: {
      removeWords(tokens: string[]): string[];
      stem(tokens: string[]): string[];
    };
  };
  export = utils;
}
