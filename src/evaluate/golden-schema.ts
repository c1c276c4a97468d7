/**
 * The golden set format, version 1 (golden/README.md), as zod schemas: the types are inferred
 * from them, so the format has one source of truth. Cross-file checks (evidence documents and
 * page ranges against the manifest) live in golden.ts.
 */
import { z } from 'zod';

export const GOLDEN_FORMAT = 'ragbench-golden/1';

const text = z.string().refine((s) => s.trim().length > 0, 'must not be empty');
const pageNumber = z.int().min(1, 'must be 1 or more (pages are numbered from 1)');

export const manifestDocumentSchema = z.strictObject({
  id: text,
  /** Relative to the set folder, e.g. "docs/Normans.pdf". */
  file: text,
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'),
  pages: z.int().min(1, 'must be 1 or more'),
});

export const manifestSchema = z.strictObject({
  format: z.literal(GOLDEN_FORMAT),
  name: text,
  source: text,
  license: text,
  documents: z.array(manifestDocumentSchema).min(1, 'must list at least one document'),
});

/** Where a gold answer occurs inside an evidence passage: `start` is a character offset into the passage's `text`. */
export const answerOccurrenceSchema = z.strictObject({
  text,
  start: z.int().min(0, 'must be 0 or more (a character offset into the passage text)'),
});

export const evidenceSchema = z
  .strictObject({
    doc: text,
    page: pageNumber,
    pageEnd: pageNumber.optional(),
    text,
    /** Optional: the answer occurrences in this passage (e.g. SQuAD's answer_start). Without them, every token-boundary occurrence counts. */
    answers: z.array(answerOccurrenceSchema).optional(),
  })
  .transform((e) => ({
    doc: e.doc,
    page: e.page,
    pageEnd: e.pageEnd ?? e.page,
    text: e.text,
    ...(e.answers !== undefined && { answers: e.answers }),
  }));

/** A golden set may split its questions: tune on `dev`, score on `test` (golden/README.md). */
export const SPLITS = ['dev', 'test'] as const;
export type Split = (typeof SPLITS)[number];

export const questionSchema = z
  .strictObject({
    id: text,
    question: text,
    answerable: z.boolean(),
    answers: z.array(text),
    evidence: z.array(evidenceSchema),
    split: z.enum(SPLITS).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.answerable) {
      if (q.answers.length === 0) ctx.addIssue({ code: 'custom', path: ['answers'], message: 'an answerable question needs at least one answer' });
      if (q.evidence.length === 0) ctx.addIssue({ code: 'custom', path: ['evidence'], message: 'an answerable question needs at least one evidence passage' });
    } else {
      if (q.answers.length > 0) ctx.addIssue({ code: 'custom', path: ['answers'], message: 'must be empty when answerable is false' });
      if (q.evidence.length > 0) ctx.addIssue({ code: 'custom', path: ['evidence'], message: 'must be empty when answerable is false' });
    }
  });

export type GoldenManifest = z.output<typeof manifestSchema>;
export type GoldenEvidence = z.output<typeof evidenceSchema>;
export type GoldenQuestion = z.output<typeof questionSchema>;
export type AnswerOccurrence = z.output<typeof answerOccurrenceSchema>;

/** Short messages that say what was expected and what was found. */
export const goldenErrorMap: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type') {
    const expected = issue.expected === 'int' ? 'an integer' : issue.expected;
    return issue.input === undefined ? `required (expected ${expected})` : `expected ${expected}, got ${describe(issue.input)}`;
  }
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  if (issue.code === 'invalid_value' && issue.values.length === 1) return `expected ${JSON.stringify(issue.values[0])}, got ${describe(issue.input)}`;
  return undefined;
};

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  const shown = JSON.stringify(value);
  return `${typeof value} ${shown.length > 40 ? `${shown.slice(0, 37)}...` : shown}`;
}
