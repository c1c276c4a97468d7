import { readFileSync } from 'node:fs';
import ts from 'typescript';

/**
 * The `/** … *\/` comments on the fields of zod object schemas in one source file, by dotted
 * path from the schema named `root` (e.g. `server.port`). The service's schemas document their
 * fields in JSDoc rather than `.describe()`, so the HTTP reference reads them from the source.
 *
 * A field's value may be a nested `z.object(...)`/`z.strictObject(...)` literal, or an identifier
 * of another schema in the same file (`server: serverSchema.prefault({})`): both are followed.
 * `root` names a `const` schema or a function whose body returns one (`querySchema(config)`).
 */
export function fieldComments(file: string, root: string): Map<string, string> {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const schemas = new Map<string, ts.ObjectLiteralExpression>();
  for (const statement of source.statements) {
    for (const [name, body] of namedBodies(statement)) {
      const literal = firstObjectSchemaLiteral(body);
      if (literal) schemas.set(name, literal);
    }
  }
  const rootLiteral = schemas.get(root);
  if (!rootLiteral) throw new Error(`${file}: no zod object schema named ${root}`);
  const comments = new Map<string, string>();
  collect(rootLiteral, '', schemas, comments, new Set([root]));
  return comments;
}

/** `const x = …` and `function x() { … }` at the top level (exported or not). */
function namedBodies(statement: ts.Statement): [string, ts.Node][] {
  if (ts.isVariableStatement(statement)) {
    return statement.declarationList.declarations.flatMap((d) => (ts.isIdentifier(d.name) && d.initializer ? [[d.name.text, d.initializer] as [string, ts.Node]] : []));
  }
  if (ts.isFunctionDeclaration(statement) && statement.name && statement.body) return [[statement.name.text, statement.body]];
  return [];
}

/** The object literal of the first `z.object({…})` / `z.strictObject({…})` call in `node`, depth first. */
function firstObjectSchemaLiteral(node: ts.Node): ts.ObjectLiteralExpression | undefined {
  if (ts.isCallExpression(node) && isObjectSchemaCall(node)) {
    const arg = node.arguments[0];
    if (arg && ts.isObjectLiteralExpression(arg)) return arg;
  }
  return ts.forEachChild(node, firstObjectSchemaLiteral);
}

function isObjectSchemaCall(call: ts.CallExpression): boolean {
  const callee = call.expression;
  return ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'z' && /^(strictObject|object|looseObject)$/.test(callee.name.text);
}

function collect(literal: ts.ObjectLiteralExpression, prefix: string, schemas: Map<string, ts.ObjectLiteralExpression>, out: Map<string, string>, seen: Set<string>): void {
  for (const property of literal.properties) {
    if (!ts.isPropertyAssignment(property)) continue;
    const key = property.name.getText();
    const path = prefix + key;
    const comment = jsDocText(property);
    if (comment) out.set(path, comment);
    const nested = firstObjectSchemaLiteral(property.initializer);
    if (nested) {
      collect(nested, `${path}.`, schemas, out, seen);
      continue;
    }
    const referenced = leftmostIdentifier(property.initializer);
    const target = referenced && !seen.has(referenced) ? schemas.get(referenced) : undefined;
    if (referenced && target) collect(target, `${path}.`, schemas, out, new Set([...seen, referenced]));
  }
}

/** `serverSchema` in `serverSchema.prefault({})`. */
function leftmostIdentifier(node: ts.Node): string | undefined {
  let current = node;
  while (ts.isCallExpression(current) || ts.isPropertyAccessExpression(current)) current = current.expression;
  return ts.isIdentifier(current) ? current.text : undefined;
}

/** The comment's text, its lines joined into one paragraph. */
function jsDocText(node: ts.Node): string | undefined {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const text = docs
    .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  return text || undefined;
}
