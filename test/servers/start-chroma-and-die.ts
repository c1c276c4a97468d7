// Run by chroma-orphans.test.ts in a child process: starts a Chroma server, prints its PID and
// then dies the way the test asks ("throw": an uncaught error; "hang": waits to be SIGKILLed).
import { rmSync } from 'node:fs';
import { ChromaServer } from '../../src/servers/chroma.ts';

const server = await ChromaServer.create();
await server.start();
process.stdout.write(`${JSON.stringify({ pid: server.pid, dataDir: server.dataDir })}\n`);
process.on('exit', () => rmSync(server.dataDir, { recursive: true, force: true }));
if (process.argv[2] === 'throw') setTimeout(() => { throw new Error('the test process crashed'); }, 100);
else setInterval(() => {}, 1_000);
