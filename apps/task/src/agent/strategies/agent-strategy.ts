import type { AgentRun } from '../agent-run';

/** How a task of one `mode` is carried out; returns the final answer. */
export interface AgentStrategy {
  readonly mode: string;
  run(run: AgentRun): Promise<string>;
}
