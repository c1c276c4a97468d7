/**
 * The text of a Texinfo HTML manual (texi2any, as Debian's r-doc-html ships the R manuals), node
 * by node, as the reference for its PDF edition (made from the same Texinfo source).
 *
 * What the HTML has and the PDF has not, dropped: the navigation line above each node ("Next:
 * ... [Contents][Index]"), the table of contents, the Top node (Texinfo prints it only outside
 * TeX), the title block before it, and the footnote markers (the HTML numbers footnotes through
 * the manual, the PDF per chapter). Index nodes are listed so that both editions can leave them
 * out (the PDF's index gives page numbers, the HTML's node names). Footnote texts are returned
 * apart, with the node that cites them: the PDF prints them at a page's foot, the HTML at the
 * end, so where they belong in the text differs between the editions (see ./align.ts).
 * A chapter's list of its sections (ul.section-toc) is dropped too: the PDF has none. A web link
 * with its own text gets its address after it in parentheses, as texinfo.tex prints @uref.
 * Cross-references are left as the HTML has them ("see Foo"; the PDF prints "see Section 3.1
 * [Foo], page 12"): a difference every extractor pays alike. Code blocks keep their text
 * (whitespace is normalised later on both sides).
 */
import { DomUtils, ElementType, parseDocument } from 'htmlparser2';

type DomNode = ReturnType<typeof parseDocument>['children'][number];
type DomElement = NonNullable<ReturnType<typeof DomUtils.findOne>>;

export interface TexinfoNode {
  /** The node's HTML id with Texinfo's _00XX escapes decoded, e.g. "What-is-R?". */
  id: string;
  /** Texinfo sectioning class: chapter, section, appendix, unnumbered, ... */
  kind: string;
  heading: string;
  /** Heading and body text, without footnotes. */
  text: string;
  /** Texts of the footnotes the node cites, in order. */
  footnotes: string[];
}

export interface TexinfoManual {
  title: string;
  /** Nodes in document order, without Top and without index nodes. */
  nodes: TexinfoNode[];
  /** Decoded ids of the index nodes (linked with rel="index" from the table of contents). */
  indexIds: string[];
}

const NODE_CLASSES = new Set([
  'chapter', 'section', 'subsection', 'subsubsection',
  'unnumbered', 'unnumberedsec', 'unnumberedsubsec', 'unnumberedsubsubsec',
  'appendix', 'appendixsec', 'appendixsection', 'appendixsubsec', 'appendixsubsubsec',
]);
const BLOCKS = new Set(['p', 'pre', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'dt', 'dd', 'tr', 'td', 'th', 'table', 'blockquote', 'ul', 'ol', 'dl', 'br', 'hr']);
const SKIPPED = new Set(['header', 'Contents_element', 'contents', 'nav-panel', 'footnote']);

/** "What-is-R_003f" -> "What-is-R?" (texi2any escapes characters outside [A-Za-z0-9-] as _00XX). */
export function decodeTexinfoId(id: string): string {
  return id.replace(/_([0-9a-f]{4})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** A key on which a Texinfo node name and its HTML id agree: letters and digits, lower case. */
export function nodeKey(name: string): string {
  return name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
}

function classes(el: DomElement): string[] {
  return (el.attribs.class ?? '').split(/\s+/).filter(Boolean);
}

function isElement(node: DomNode): node is DomElement {
  return ElementType.isTag(node);
}

function isText(node: DomNode): node is DomNode & { data: string } {
  return node.type === ElementType.Text;
}

/** Plain text of an element, and the footnotes it cites (`footnote(id)` gives their text). */
function textOf(root: DomNode, footnote: (id: string) => string | undefined): { text: string; footnotes: string[] } {
  let out = '';
  const footnotes: string[] = [];
  const walk = (node: DomNode): void => {
    if (isText(node)) {
      out += node.data;
      return;
    }
    if (!isElement(node)) return;
    if (node.name === 'script' || node.name === 'style') return;
    if (node.name === 'div' && classes(node).some((c) => SKIPPED.has(c))) return;
    // Texinfo nests a chapter's sections inside its div; each is a node of its own.
    if (node !== root && node.name === 'div' && classes(node).some((c) => NODE_CLASSES.has(c))) return;
    const href = node.attribs.href ?? '';
    if (node.name === 'a' && (node.attribs.id ?? '').startsWith('DOCF') && href.startsWith('#FOOT')) {
      const note = footnote(href.slice(1));
      if (note !== undefined) footnotes.push(note);
      return;
    }
    if (node.name === 'ul' && classes(node).includes('section-toc')) return;
    const block = BLOCKS.has(node.name);
    if (block) out += '\n';
    const before = out.length;
    for (const child of node.children) walk(child);
    // texinfo.tex prints @uref{url, text} as "text (url)"; the HTML shows the text only.
    if (node.name === 'a' && /^(https?|ftp):/.test(href) && out.slice(before).trim() !== href) out += ` (${href})`;
    if (block) out += '\n';
  };
  walk(root);
  return { text: out, footnotes };
}

/** Footnote texts by anchor id ("FOOT3"): each h5 holding the anchor, then the elements up to the next h5. */
function readFootnotes(body: readonly DomNode[]): Map<string, string> {
  const notes = new Map<string, string>();
  const footDivs = DomUtils.findAll((el) => el.name === 'div' && classes(el as DomElement).includes('footnote'), [...body]);
  for (const div of footDivs) {
    let current: string | undefined;
    for (const child of div.children) {
      if (!isElement(child)) continue;
      if (child.name === 'h5') {
        const anchor = DomUtils.findOne((el) => (el.attribs.id ?? '').startsWith('FOOT'), child.children);
        current = anchor?.attribs.id;
        if (current) notes.set(current, '');
        continue;
      }
      if (current && child.name !== 'h4' && child.name !== 'hr') notes.set(current, `${notes.get(current) ?? ''}\n${textOf(child, () => undefined).text}`);
    }
  }
  return notes;
}

/** Parses a texi2any HTML manual (one file holding every node). */
export function parseTexinfoHtml(html: string): TexinfoManual {
  const doc = parseDocument(html);
  const titleEl = DomUtils.findOne((el) => el.name === 'title', doc.children);
  const title = titleEl ? DomUtils.textContent(titleEl).trim() : '';
  const body = DomUtils.findOne((el) => el.name === 'body', doc.children)?.children ?? doc.children;
  const notes = readFootnotes(body);
  const indexIds = DomUtils.findAll((el) => el.name === 'a' && el.attribs.rel === 'index' && (el.attribs.id ?? '').startsWith('toc-'), [...body])
    .map((a) => decodeTexinfoId((a.attribs.href ?? '').replace(/^#/, '')));
  const indexKeys = new Set(indexIds.map(nodeKey));
  const nodes: TexinfoNode[] = [];
  for (const el of DomUtils.findAll((e) => e.name === 'div' && classes(e as DomElement).some((c) => NODE_CLASSES.has(c)), [...body])) {
    const id = decodeTexinfoId(el.attribs.id ?? '');
    if (indexKeys.has(nodeKey(id))) continue;
    const kind = classes(el).find((c) => NODE_CLASSES.has(c)) ?? '';
    const headingEl = DomUtils.findOne((h) => /^h[1-6]$/.test(h.name), el.children);
    const heading = headingEl ? DomUtils.textContent(headingEl).replace(/\s+/g, ' ').trim() : '';
    nodes.push({ id, kind, heading, ...textOf(el, (foot) => notes.get(foot)) });
  }
  return { title, nodes, indexIds };
}
