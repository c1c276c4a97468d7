// Run by postgres.test.ts in a child process: starts a PostgreSQL server, prints its PID and data
// folder, then dies the way the test asks ("throw": an uncaught error; "hang": waits to be SIGKILLed).
import { PostgresServer } from '../../src/servers/postgres.ts';

const server = await PostgresServer.create();
await server.start();
process.stdout.write(`${JSON.stringify({ pid: server.pid, dataDir: server.dataDir })}\n`);
if (process.argv[2] === 'throw') setTimeout(() => { throw new Error('the test process crashed'); }, 100);
else setInterval(() => {}, 1_000);
