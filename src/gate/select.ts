/** Run selectors: an exact run name or id, or a glob where `*` matches any text and `?` one character. */

export function isGlob(selector: string): boolean {
  return /[*?]/.test(selector);
}

export function selectorMatches(selector: string, runId: string): boolean {
  if (!isGlob(selector)) return selector === runId;
  const pattern = [...selector]
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`, 'su').test(runId);
}

/** A selector names a run when it matches its short name or its full id (configuration). */
export function runMatches(selector: string, run: { id: string; name: string }): boolean {
  return selectorMatches(selector, run.name) || selectorMatches(selector, run.id);
}

/** Exact ids beat globs; among equals, the selector written later wins. */
export function specificity(selector: string, index: number): number {
  return (isGlob(selector) ? 0 : 1_000_000) + index;
}
