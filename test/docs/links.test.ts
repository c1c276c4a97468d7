import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DOCS = join(ROOT, 'docs');

/** Lines outside fenced code blocks (a `#` comment in a shell block is not a heading). */
function proseLines(markdown: string): string[] {
  let fenced = false;
  return markdown.split('\n').filter((line) => {
    if (/^\s*```/.test(line)) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** GitHub's heading anchors: lower case, punctuation dropped, each space a hyphen, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const line of proseLines(markdown)) {
    const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/`/g, '');
    const slug = text
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/ /g, '-');
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** Relative Markdown links `[text](target#anchor)` outside code blocks and code spans. */
function relativeLinks(markdown: string): { target: string; anchor?: string }[] {
  const links: { target: string; anchor?: string }[] = [];
  for (const line of proseLines(markdown)) {
    for (const match of line.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
      const href = match[1]!;
      if (/^[a-z]+:/i.test(href)) continue;
      const [target = '', anchor] = href.split('#');
      links.push({ target, ...(anchor !== undefined && { anchor }) });
    }
  }
  return links;
}

// The documents this suite owns (the index, the guides, the generated HTTP reference's links into service.md).
const checked = ['README.md', 'deployment.md', 'tuning.md', 'http.md'];

describe('docs/README.md indexes every document', () => {
  const index = readFileSync(join(DOCS, 'README.md'), 'utf8');
  const indexed = new Set(relativeLinks(index).map((l) => l.target));
  const documents = readdirSync(DOCS).filter((f) => f.endsWith('.md') && f !== 'README.md');

  it.each(documents)('lists %s', (file) => {
    expect(indexed, `docs/README.md has no line for docs/${file}: add one saying what it answers`).toContain(file);
  });

  it('lists the generated library reference', () => {
    expect(indexed).toContain('api/README.md');
  });
});

describe('links resolve', () => {
  it.each(checked)('docs/%s: every relative link names an existing file and heading', (file) => {
    const from = join(DOCS, file);
    const broken: string[] = [];
    for (const { target, anchor } of relativeLinks(readFileSync(from, 'utf8'))) {
      const path = target ? resolve(dirname(from), target) : from;
      if (!existsSync(path)) {
        broken.push(`${target}: no such file`);
        continue;
      }
      if (anchor && path.endsWith('.md') && !anchorsOf(readFileSync(path, 'utf8')).has(anchor)) {
        broken.push(`${target}#${anchor}: no such heading in ${relative(ROOT, path)}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('computes anchors as GitHub does', () => {
    const anchors = anchorsOf('# A `code` title\n## PostgreSQL + pgvector\n```sh\n# not a heading\n```\n## 5. What — and not\n## Twice\n## Twice\n');
    expect([...anchors]).toEqual(['a-code-title', 'postgresql--pgvector', '5-what--and-not', 'twice', 'twice-1']);
  });
});
