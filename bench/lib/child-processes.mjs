import { fork } from 'node:child_process';

/** Forks `script` and resolves the child once it sends its first message (it is ready); rejects if it exits first. */
export function forkReady(script, args, stdio = 'ignore') {
  const child = fork(script, args.map(String), { stdio: stdio === 'ignore' ? ['ignore', 'ignore', 'ignore', 'ipc'] : stdio });
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

/** Sends SIGTERM to each child still running and resolves once all have exited. */
export function stopChildren(children) {
  return Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', resolve), child.kill('SIGTERM'))))));
}
