import { runAgentLoop } from '../agent-loop';
import type { AgentRun } from '../agent-run';
import type { AgentStrategy } from './agent-strategy';

const AGENT = 'agent';

/** standard: one agent in a tool-using loop of at most max_iterations model calls. */
export class StandardStrategy implements AgentStrategy {
  readonly mode = 'standard';

  async run(run: AgentRun): Promise<string> {
    await run.emit({ type: 'AGENT_STARTED', agentId: AGENT, message: `${AGENT} is on it` });
    const text = await runAgentLoop(run, { agentId: AGENT, keyPrefix: '', messages: run.prompts.messagesFor(), maxIterations: run.settings.maxIterations });
    await run.emit({ type: 'AGENT_COMPLETED', agentId: AGENT, message: `${AGENT} is done` });
    return text;
  }
}
