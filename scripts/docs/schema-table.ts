/** The part of JSON Schema (draft 2020-12, as zod v4's z.toJSONSchema writes it) that the tables show. */
export interface JsonSchema {
  type?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  additionalProperties?: boolean | JsonSchema;
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  enum?: unknown[];
}

export interface FieldRow {
  path: string;
  type: string;
  required: boolean;
  default?: unknown;
  limits: string;
  description: string;
}

/**
 * One row per field, depth first in the schema's order; an object with properties gets a row
 * and then rows for its fields. `comments` (dotted path → text) fills in what the schema has
 * no `description` for.
 */
export function fieldRows(schema: JsonSchema, comments: ReadonlyMap<string, string> = new Map(), prefix = ''): FieldRow[] {
  const rows: FieldRow[] = [];
  const required = new Set(schema.required ?? []);
  for (const [key, field] of Object.entries(schema.properties ?? {})) {
    const path = prefix + key;
    rows.push({
      path,
      type: typeOf(field),
      required: required.has(key),
      ...(field.default !== undefined && { default: field.default }),
      limits: limitsOf(field),
      description: field.description ?? comments.get(path) ?? '',
    });
    if (field.properties) rows.push(...fieldRows(field, comments, `${path}.`));
  }
  return rows;
}

function typeOf(schema: JsonSchema): string {
  if (schema.anyOf) return schema.anyOf.map(typeOf).join(' or ');
  if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' or ');
  if (schema.type === 'array') return `${schema.items ? typeOf(schema.items) : 'any'}[]`;
  if (schema.type === 'object' && !schema.properties) return 'object';
  if (schema.type === 'object') {
    const keys = Object.keys(schema.properties ?? {});
    const open = schema.additionalProperties !== false && keys.length > 0;
    return keys.length <= 3 ? `{ ${keys.join(', ')}${open ? ', …' : ''} }` : 'object';
  }
  return schema.type ?? 'any';
}

// zod writes Number.MAX_SAFE_INTEGER as every z.int()'s maximum: no limit a reader needs to see.
const NO_LIMIT = Number.MAX_SAFE_INTEGER;

function limitsOf(schema: JsonSchema): string {
  const parts: string[] = [];
  if (schema.minimum !== undefined) parts.push(`≥ ${schema.minimum}`);
  if (schema.exclusiveMinimum !== undefined) parts.push(`> ${schema.exclusiveMinimum}`);
  if (schema.maximum !== undefined && schema.maximum !== NO_LIMIT) parts.push(`≤ ${schema.maximum}`);
  if (schema.exclusiveMaximum !== undefined) parts.push(`< ${schema.exclusiveMaximum}`);
  if (schema.minLength !== undefined) parts.push(`length ≥ ${schema.minLength}`);
  if (schema.maxLength !== undefined) parts.push(`length ≤ ${schema.maxLength}`);
  if (schema.minItems !== undefined) parts.push(`items ≥ ${schema.minItems}`);
  if (schema.maxItems !== undefined) parts.push(`items ≤ ${schema.maxItems}`);
  if (schema.type === 'object' && schema.additionalProperties === false) parts.push('no other keys');
  return parts.join(', ');
}

/** A Markdown table of the rows; `|` in cells is escaped so a type union cannot break a row. */
export function renderFieldTable(rows: readonly FieldRow[]): string {
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const lines = ['| field | type | required | default | limits | description |', '| --- | --- | --- | --- | --- | --- |'];
  for (const row of rows) {
    const defaultText = row.default === undefined ? '' : `\`${JSON.stringify(row.default)}\``;
    lines.push(`| \`${row.path}\` | ${cell(row.type)} | ${row.required ? 'yes' : ''} | ${cell(defaultText)} | ${cell(row.limits)} | ${cell(row.description)} |`);
  }
  return lines.join('\n');
}
