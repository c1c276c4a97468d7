import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeTexinfoId, nodeKey, parseTexinfoHtml } from '../../src/stage-eval/extraction/texinfo-html.ts';
import { requireRManual } from './r-manuals.ts';

/** A manual in texi2any 6.8's shape: Top with the contents, a chapter whose section is nested in its div, footnotes, an index. */
const HTML = `<!DOCTYPE html><html><head><title>Tiny Manual</title><style>h1 {color: red}</style></head>
<body lang="en"><h1 class="settitle">Tiny Manual</h1>
<div class="top" id="Top"><div class="header"><p>Next: <a href="#Intro">Intro</a> [<a href="#SEC_Contents">Contents</a>]</p></div>
<h1 class="top">Tiny Manual</h1><p>Only outside TeX.</p>
<div class="Contents_element" id="SEC_Contents"><h2 class="contents-heading">Table of Contents</h2><div class="contents"><ul class="no-bullet">
<li><a id="toc-Intro-1" href="#Intro">1 Intro</a></li><li><a id="toc-Concept-index-1" href="#Concept-index" rel="index">Concept index</a></li></ul></div></div>
</div>
<div class="chapter" id="Intro"><div class="header"><p>Next: <a href="#What-is-R_003f">What is R?</a></p></div>
<h2 class="chapter">1 Intro</h2><p>Read the <a href="https://cran.r-project.org/">CRAN pages</a> at <a href="https://example.org/">https://example.org/</a>
and see <a href="#What-is-R_003f">What is R?</a>.</p>
<ul class="section-toc"><li><a href="#What-is-R_003f">What is R?</a></li></ul>
<div class="section" id="What-is-R_003f"><h3 class="section">1.1 What is R?</h3>
<p>R is award-winning<a id="DOCF1" href="#FOOT1"><sup>1</sup></a> software.</p>
<pre class="example">x &lt;- c(1, 2)
</pre></div></div>
<div class="unnumbered" id="Concept-index"><h2 class="unnumbered">Concept index</h2><table><tr><td>R</td></tr></table></div>
<div class="footnote"><hr><h4 class="footnotes-heading">Footnotes</h4>
<h5><a id="FOOT1" href="#DOCF1">(1)</a></h5><p>ACM award, 1998.</p></div>
</body></html>`;

describe('parseTexinfoHtml on a hand-made manual', () => {
  const manual = parseTexinfoHtml(HTML);
  const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

  it('returns the nodes in order, each without its nested sections, without Top and the index', () => {
    expect(manual.title).toBe('Tiny Manual');
    expect(manual.nodes.map((n) => [n.id, n.kind, n.heading])).toEqual([
      ['Intro', 'chapter', '1 Intro'],
      ['What-is-R?', 'section', '1.1 What is R?'],
    ]);
    expect(manual.indexIds).toEqual(['Concept-index']);
  });

  it('drops navigation, contents and the section list; prints link addresses as texinfo.tex does', () => {
    expect(squash(manual.nodes[0]!.text)).toBe(
      '1 Intro Read the CRAN pages (https://cran.r-project.org/) at https://example.org/ and see What is R?.',
    );
  });

  it('keeps code, drops footnote markers and returns the footnote apart', () => {
    const section = manual.nodes[1]!;
    expect(squash(section.text)).toBe('1.1 What is R? R is award-winning software. x <- c(1, 2)');
    expect(section.footnotes.map(squash)).toEqual(['ACM award, 1998.']);
    expect(manual.nodes[0]!.footnotes).toEqual([]);
  });
});

describe('Texinfo node names', () => {
  it('decodes _00XX escapes and keys names and ids alike', () => {
    expect(decodeTexinfoId('How-can-R-be-installed-_0028Unix_002dlike_0029')).toBe('How-can-R-be-installed-(Unix-like)');
    expect(nodeKey(decodeTexinfoId('What-is-R_003f'))).toBe(nodeKey('What is R?'));
  });
});

describe('parseTexinfoHtml on R-FAQ (r-doc-html)', () => {
  it('reads every node of the real manual', () => {
    const manual = parseTexinfoHtml(readFileSync(requireRManual('R-FAQ.html'), 'utf8'));
    expect(manual.title).toBe('R FAQ');
    expect(manual.indexIds).toEqual([]);
    expect(manual.nodes[0]!.heading).toBe('1 Introduction');
    // Ten chapters (the PDF's outline has the same ten), 104 nodes in all.
    expect(manual.nodes.filter((n) => n.kind === 'chapter').length).toBe(10);
    expect(manual.nodes.length).toBe(104);
    expect(manual.nodes.find((n) => n.id === 'What-is-R?')?.heading).toBe('2.1 What is R?');
    // Nothing of the navigation or the contents is left.
    expect(manual.nodes.every((n) => !/Next: |Table of Contents/.test(n.text))).toBe(true);
  });
});
