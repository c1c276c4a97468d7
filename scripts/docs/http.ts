import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { createService } from '../../src/serve/app.ts';
import { parseServiceConfig, ServiceConfigSchema } from '../../src/serve/config.ts';
import { querySchema } from '../../src/serve/query.ts';
import { fieldComments } from './field-comments.ts';
import { generatedNotice } from './notice.ts';
import { ROUTE_NOTES } from './route-notes.ts';
import { parseRouteTree, type Route } from './routes.ts';
import { fieldRows, renderFieldTable, type JsonSchema } from './schema-table.ts';

const source = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url));

/** The routes of a real service instance (BM25 only: nothing to embed, nothing ingested). */
export async function serviceRoutes(): Promise<Route[]> {
  const service = await createService({ config: parseServiceConfig({ pipeline: { retriever: 'bm25' } }, 'docs') });
  try {
    await service.app.ready();
    return parseRouteTree(service.app.printRoutes({ commonPrefix: false }));
  } finally {
    await service.app.close();
  }
}

function routeTable(routes: readonly Route[]): string {
  const keys = routes.map((r) => `${r.method} ${r.path}`);
  const undocumented = keys.filter((k) => !ROUTE_NOTES[k]);
  const gone = Object.keys(ROUTE_NOTES).filter((k) => !keys.includes(k));
  if (undocumented.length > 0 || gone.length > 0) {
    throw new Error(
      `scripts/docs/route-notes.ts does not match src/serve/app.ts: ${[
        ...undocumented.map((k) => `${k} has no note`),
        ...gone.map((k) => `${k} is not a route any more`),
      ].join('; ')}`,
    );
  }
  const lines = ['| route | answers | statuses | details |', '| --- | --- | --- | --- |'];
  for (const key of keys) {
    const note = ROUTE_NOTES[key]!;
    lines.push(`| \`${key}\` | ${note.summary} | ${note.statuses} | [service.md](service.md#${note.section}) |`);
  }
  return lines.join('\n');
}

const jsonBlock = (value: unknown): string => `\`\`\`json\n${JSON.stringify(value, null, 2)}\n\`\`\``;

/** docs/http.md: routes from the app, the request body and the service config from their zod schemas. */
export async function renderHttpDoc(): Promise<string> {
  const routes = await serviceRoutes();
  const defaults = ServiceConfigSchema.parse({});
  // Input side: what a client or a config file may write (defaults shown, optional fields optional).
  const request = z.toJSONSchema(querySchema(defaults.query), { io: 'input' }) as JsonSchema;
  const config = z.toJSONSchema(ServiceConfigSchema, { io: 'input' }) as JsonSchema;
  const requestComments = fieldComments(source('src/serve/query.ts'), 'querySchema');
  const configComments = fieldComments(source('src/serve/config.ts'), 'ServiceConfigSchema');
  return `# HTTP API reference: \`ragbench serve\`

${generatedNotice('scripts/docs/http.ts', 'the routes of a running `createService` (src/serve/app.ts) and the zod schemas `querySchema` (src/serve/query.ts) and `ServiceConfigSchema` (src/serve/config.ts), through zod\'s `z.toJSONSchema`; descriptions are the fields\' doc comments')}

What each answer contains, the errors and the figures measured on this machine:
[service.md](service.md). Every error answer is JSON \`{ error, message, field? }\`
([service.md, Errors](service.md#errors)).

## Routes

${routeTable(routes)}

Every \`GET\` also answers \`HEAD\`. Any other path answers 404 listing the routes.

## The query request

\`POST /query\` with \`content-type: application/json\`. Limits are those of the default
configuration (\`query.maxK\`, \`query.maxQuestionChars\` below set them); a field outside
them answers 400 naming it.

${renderFieldTable(fieldRows(request, requestComments))}

${jsonBlock(request)}

## The service configuration

\`ragbench serve --config FILE\` (YAML), checked at start: an unknown key or a bad value stops
the service naming the file and the field (exit 2). Every key is optional; this is each one's
default. [config/production.yml](../config/production.yml) sets them for production; each
pipeline stage takes a registry name or \`{ name, …options }\` as in a suite.

${renderFieldTable(fieldRows(config, configComments))}

${jsonBlock(config)}
`;
}
