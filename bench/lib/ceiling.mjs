import { fork } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './our-stack.mjs';

/** Starts the bare Fastify hello-world server in a child process. */
export async function startCeiling() {
  const port = await freePort();
  const child = fork(join(dirname(fileURLToPath(import.meta.url)), 'hello-server.mjs'), [String(port)], { stdio: 'ignore' });
  await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`hello server exited with ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}/hello`,
    async stop() {
      child.kill('SIGTERM');
    },
  };
}
