import { describe, expect, it } from 'vitest';
import {
  appears,
  appearsAsWord,
  contentTokens,
  findOccurrences,
  locate,
  normalizeText,
  NormalizedText,
  overlapCoefficient,
  tokenBoundaryMatches,
} from '../../src/text/normalize.ts';

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

  it('answers match on token boundaries only: "ten" is not in "often", "P" is not in "help"', () => {
    const text = new NormalizedText('They read it more often. Help came at ten past P.M.; see p. 4 and 14.2 metres.');
    expect(text.contains('ten')).toBe(true);
    expect(text.containsWord('often')).toBe(true);
    expect(text.containsWord('ten')).toBe(true); // "at ten past"
    expect(new NormalizedText('read more often').containsWord('ten')).toBe(false);
    expect(new NormalizedText('Help me').contains('P')).toBe(true);
    expect(new NormalizedText('Help me').containsWord('P')).toBe(false);
    expect(text.containsWord('P')).toBe(true); // "P.M." and "p. 4"
    expect(text.containsWord('4.2 metres')).toBe(false); // inside "14.2"
    expect(text.containsWord('14.2 metres')).toBe(true);
    expect(text.containsWord('')).toBe(false);
    // An answer with no letter or digit (SQuAD has ".") has no token to match.
    expect(text.contains('.')).toBe(true);
    expect(text.containsWord('.')).toBe(false);
    expect(findOccurrences('a. b.', '.')).toEqual([]);
  });

  it('needles that begin or end with punctuation need no boundary on that side', () => {
    expect(appearsAsWord('<script>alert(1)</script>', 'pasted<script>alert(1)</script>into')).toBe(true);
    expect(appearsAsWord('&lt; &gt;', 'the entities &amp; &lt; &gt; &quot;')).toBe(true);
    expect(appearsAsWord('(1)', 'alert(1)x')).toBe(true);
    // Letters of other scripts and combining marks are token characters too.
    expect(appearsAsWord('café', 'cafés')).toBe(false);
    expect(appearsAsWord('e', 'cafe\u0301')).toBe(false);
    expect(tokenBoundaryMatches('ab ab abc', 'ab')).toEqual([0, 3]);
    expect(tokenBoundaryMatches('x\u{1d400}ab', 'ab')).toEqual([]); // a mathematical bold letter before it
  });

  it('finds every token-boundary occurrence as source spans, under both hyphen readings', () => {
    const hay = 'The 1874 log; in 18741 no; an impor-\ntant “1874”.';
    const spans = findOccurrences(hay, '1874');
    expect(spans.map((s) => hay.slice(s.start, s.end))).toEqual(['1874', '1874']);
    expect(spans[1]!.start).toBe(hay.lastIndexOf('1874'));
    const joined = findOccurrences(hay, 'important');
    expect(joined.map((s) => hay.slice(s.start, s.end))).toEqual(['impor-\ntant']);
    expect(findOccurrences('an end-\nto-end test', 'end-to-end').map((s) => s.start)).toEqual([3]);
    expect(findOccurrences(hay, 'port')).toEqual([]);
    expect(findOccurrences(hay, '  ')).toEqual([]);
    // A character outside the BMP ends its span after both code units.
    const astral = 'see \u{1d400} here';
    expect(findOccurrences(astral, '\u{1d400}')).toEqual([{ start: 4, end: 6 }]);
  });
});
