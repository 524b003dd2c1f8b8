// The processes a command started, followed through /proc (Linux), so that stopping the command
// can wait for all of them, not only the one it spawned.
import { readdirSync, readFileSync } from 'node:fs';

/** Fields of /proc/<pid>/stat after the command name, or undefined once the process is gone (Linux). */
function statFields(pid) {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  } catch {
    return undefined;
  }
}

/** A process's start time in clock ticks: with the pid, it names the process even once the pid is reused. */
/** The ids of every process now (Linux /proc). */
export const processIds = () => readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);

const startTime = (pid) => statFields(pid)?.[19];

/**
 * The chain of processes under `rootPid` (each the first child of the one before), outermost first.
 * @returns {{pid: number, started: string}[]}
 */
export function processChain(rootPid) {
  const pids = processIds();
  const chain = [{ pid: rootPid, started: startTime(rootPid) }];
  for (;;) {
    const child = pids.find((pid) => Number(statFields(pid)?.[1]) === chain.at(-1).pid);
    if (!child) {
      return chain;
    }
    chain.push({ pid: child, started: startTime(child) });
  }
}

/** Still running: the same process (not a reused pid) and not a zombie waiting to be reaped. */
const alive = ({ pid, started }) => {
  const fields = statFields(pid);
  return fields !== undefined && fields[0] !== 'Z' && fields[19] === started;
};

/** Waits for the processes to exit and kills those still there after `graceMs`. */
export async function awaitExit(processes, graceMs = 15_000) {
  const deadline = Date.now() + graceMs;
  while (processes.some(alive) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  for (const { pid } of processes.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone in between
    }
  }
}
