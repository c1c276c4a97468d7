import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commandNames } from '../../scripts/docs/cli.ts';
import { fieldComments } from '../../scripts/docs/field-comments.ts';
import { parseRouteTree } from '../../scripts/docs/routes.ts';
import { fieldRows, renderFieldTable } from '../../scripts/docs/schema-table.ts';

const scratch = mkdtempSync(join(tmpdir(), 'ragbench-docs-gen-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('parseRouteTree (fastify printRoutes, commonPrefix: false)', () => {
  it('joins nested segments onto their parent, drops HEAD and handler-less nodes', () => {
    const tree = [
      '├── /query (POST)',
      '├── /health (GET, HEAD)',
      '│   └── /ready (GET, HEAD)',
      '├── /api (-)',
      '│   ├── /v1 (-)',
      '│   │   └── /items (GET, PUT)',
      '│   └── /v2 (DELETE)',
      '└── /stats (GET, HEAD)',
      '    └── /reset (POST)',
      '',
    ].join('\n');
    expect(parseRouteTree(tree)).toEqual([
      { method: 'GET', path: '/api/v1/items' },
      { method: 'PUT', path: '/api/v1/items' },
      { method: 'DELETE', path: '/api/v2' },
      { method: 'GET', path: '/health' },
      { method: 'GET', path: '/health/ready' },
      { method: 'POST', path: '/query' },
      { method: 'GET', path: '/stats' },
      { method: 'POST', path: '/stats/reset' },
    ]);
  });

  it('refuses a line it does not understand rather than dropping a route', () => {
    expect(() => parseRouteTree('├── /query POST')).toThrow(/unexpected line/);
    expect(() => parseRouteTree('│   │   └── /deep (GET)')).toThrow(/unexpected indentation/);
  });
});

describe('commandNames (commander top-level help)', () => {
  it('lists the subcommands without help, wrapped descriptions ignored', () => {
    const help = [
      'Usage: ragbench [options] [command]',
      '',
      'Options:',
      '  -h, --help       display help for command',
      '',
      'Commands:',
      '  run [options] [suite]  run a suite: every configuration against a golden',
      '                         set; writes reports/',
      '  gate <summary>   judge',
      '  help [command]   display help for command',
    ].join('\n');
    expect(commandNames(help)).toEqual(['run', 'gate']);
    expect(() => commandNames('Usage: x')).toThrow(/Commands:/);
  });
});

describe('fieldComments (doc comments of zod object fields)', () => {
  it('follows nested literals and schemas referenced by name, from a const or a function', () => {
    const file = join(scratch, 'schema.ts');
    writeFileSync(
      file,
      `import { z } from 'zod';
const inner = z.strictObject({
  /** The port,
   *  on loopback. */
  port: z.int().default(1),
  host: z.string(),
});
export const Root = z.strictObject({
  /** Server settings. */
  server: inner.prefault({}),
  nested: z
    .object({
      /** Deep. */
      leaf: z.boolean(),
    })
    .optional(),
});
export function made(n: number) {
  return z.strictObject({
    /** Made. */
    k: z.int().max(n),
  });
}
`,
    );
    expect(Object.fromEntries(fieldComments(file, 'Root'))).toEqual({
      server: 'Server settings.',
      'server.port': 'The port, on loopback.',
      'nested.leaf': 'Deep.',
    });
    expect(Object.fromEntries(fieldComments(file, 'made'))).toEqual({ k: 'Made.' });
    expect(() => fieldComments(file, 'Missing')).toThrow(/no zod object schema named Missing/);
  });
});

describe('fieldRows / renderFieldTable (JSON Schema → Markdown)', () => {
  it('flattens objects, keeps defaults and limits, hides the safe-integer maximum, escapes pipes', () => {
    const rows = fieldRows(
      {
        type: 'object',
        required: ['question'],
        properties: {
          question: { type: 'string', minLength: 1, maxLength: 10 },
          k: { type: 'integer', exclusiveMinimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 5, description: 'hits' },
          stage: { anyOf: [{ type: 'string' }, { type: 'object', properties: { name: { type: 'string' } }, additionalProperties: {} }] },
          filters: { type: 'object', additionalProperties: false, properties: { documents: { type: 'array', items: { type: 'string' }, minItems: 1 } } },
        },
      },
      new Map([['filters.documents', 'only these | ids']]),
    );
    expect(rows.map((r) => [r.path, r.type, r.required, r.limits])).toEqual([
      ['question', 'string', true, 'length ≥ 1, length ≤ 10'],
      ['k', 'integer', false, '> 0'],
      ['stage', 'string or { name, … }', false, ''],
      ['filters', '{ documents }', false, 'no other keys'],
      ['filters.documents', 'string[]', false, 'items ≥ 1'],
    ]);
    const table = renderFieldTable(rows);
    expect(table).toContain('| `k` | integer |  | `5` | > 0 | hits |');
    expect(table).toContain('only these \\| ids');
    expect(table.split('\n')).toHaveLength(2 + rows.length);
  });
});
