/** One route as fastify registered it. HEAD, which fastify adds to every GET, is left out. */
export interface Route {
  method: string;
  path: string;
}

/**
 * Parses `app.printRoutes({ commonPrefix: false })`: a tree whose lines are
 * `<branches><segment> (<METHODS>)`, each level indented by four characters, a child's path
 * continuing its parent's (`/health` then `/ready` is `/health/ready`). A node without a
 * handler prints `(-)`: it only carries its children's prefix.
 */
export function parseRouteTree(tree: string): Route[] {
  const routes: Route[] = [];
  const prefixes: string[] = [];
  for (const line of tree.split('\n')) {
    if (!line.trim()) continue;
    const match = /^([│├└─\s]*)(\S.*?) \(([^)]*)\)$/.exec(line);
    if (!match) throw new Error(`unexpected line in fastify's route tree: ${JSON.stringify(line)}`);
    const [, branches = '', segment = '', methods = ''] = match;
    const depth = Math.max(0, branches.length / 4 - 1);
    if (!Number.isInteger(depth) || depth > prefixes.length) throw new Error(`unexpected indentation in fastify's route tree: ${JSON.stringify(line)}`);
    const path = (prefixes[depth - 1] ?? '') + segment;
    prefixes.length = depth;
    prefixes.push(path);
    for (const method of methods.split(',').map((m) => m.trim())) {
      if (method && method !== '-' && method !== 'HEAD') routes.push({ method, path });
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
