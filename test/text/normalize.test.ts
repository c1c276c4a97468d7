import { describe, expect, it } from 'vitest';
import { appears, contentTokens, locate, normalizeText, NormalizedText, overlapCoefficient } from '../../src/text/normalize.ts';

describe('golden-format text matching', () => {
  it('applies NFKC, case-folding, ASCII quotes and dashes, and collapses whitespace', () => {
    expect(normalizeText('  The “Normans”\u2014were\t\n ﬁne ')).toBe('the "normans"-were fine');
    expect(normalizeText('it\u2019s ‘quoted’')).toBe("it's 'quoted'");
  });

  it('accepts both readings of a hyphen at a line end', () => {
    expect(appears('important', 'an impor-\ntant point')).toBe(true);
    expect(appears('end-to-end', 'an end-\nto-end test')).toBe(true);
    expect(appears('endto-end', 'an end-to-end test')).toBe(false);
    // A spaced dash at a line end is punctuation: both sides keep it.
    expect(appears('Treaty – instead', 'the Treaty –\ninstead of')).toBe(true);
    // A hyphen inside a line is a hyphen, not a break.
    expect(appears('important', 'impor- tant')).toBe(false);
  });

  it('a needle that is empty after normalisation appears nowhere', () => {
    expect(appears('  \n ', 'anything')).toBe(false);
    expect(new NormalizedText('abc').contains('')).toBe(false);
  });

  it('locates a passage by source offsets across line breaks and typography', () => {
    const hay = 'Intro.\nThe “Normans” were impor-\ntant people.\nNext.';
    const span = locate(hay, 'The "Normans" were important people.');
    expect(span).not.toBeNull();
    expect(hay.slice(span!.start, span!.end)).toBe('The “Normans” were impor-\ntant people.');
    expect(locate(hay, 'Vikings')).toBeNull();
    expect(locate(hay, '   ')).toBeNull();
  });

  it('soft hyphens vanish and NFKC expansions are mapped', () => {
    expect(normalizeText('co\u00adoperate')).toBe('cooperate');
    expect(normalizeText('\u2033x\u2033')).toBe('"x"');
  });

  it('token overlap ignores stopwords and is 1 for a subset', () => {
    const a = contentTokens('The Normans were in Normandy');
    expect([...a]).toEqual(['normans', 'normandy']);
    expect(overlapCoefficient(a, contentTokens('Normandy, the Normans and the Franks'))).toBe(1);
    expect(overlapCoefficient(a, contentTokens('nothing shared here'))).toBe(0);
    expect(overlapCoefficient(new Set(), a)).toBe(0);
  });
});
