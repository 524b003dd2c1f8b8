import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { forkReady } from './child-processes.mjs';
import { freePort } from './our-stack.mjs';

/** Starts the bare Fastify hello-world server in a child process. */
export async function startCeiling() {
  const port = await freePort();
  const child = await forkReady(join(dirname(fileURLToPath(import.meta.url)), 'hello-server.mjs'), [port]);
  return {
    url: `http://127.0.0.1:${port}/hello`,
    async stop() {
      child.kill('SIGTERM');
    },
  };
}
