import { afterAll, beforeAll } from 'vitest';
import { PostgresServer } from '../../src/servers/postgres.ts';

/**
 * A real PostgreSQL with pgvector for the enclosing tests, started in beforeAll and disposed in
 * afterAll. A server that cannot start (not installed: the error names scripts/setup-pgvector.sh)
 * fails every test that asks for it with that reason; vitest would report the tests of a failed
 * beforeAll as skipped, and these must never skip.
 */
export function usePostgres(): () => PostgresServer {
  let server: PostgresServer | undefined;
  let notStarted: unknown = new Error('beforeAll has not run');
  beforeAll(async () => {
    try {
      server = await PostgresServer.create();
      await server.start();
      notStarted = undefined;
    } catch (error) {
      notStarted = error;
    }
  });
  afterAll(async () => {
    await server?.dispose();
  });
  return () => {
    if (notStarted !== undefined || !server) throw notStarted;
    return server;
  };
}
