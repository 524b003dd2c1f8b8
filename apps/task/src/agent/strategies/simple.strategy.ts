import type { AgentRun } from '../agent-run';
import type { AgentStrategy } from './agent-strategy';

const AGENT = 'simple-agent';

/** simple: one model call with the conversation, no tools. */
export class SimpleStrategy implements AgentStrategy {
  readonly mode = 'simple';

  async run(run: AgentRun): Promise<string> {
    await run.emit({ type: 'AGENT_STARTED', agentId: AGENT, message: `${AGENT} is on it` });
    const turn = await run.callModel('llm:0', AGENT, run.prompts.messagesFor());
    await run.emit({ type: 'AGENT_COMPLETED', agentId: AGENT, message: `${AGENT} is done` });
    return turn.text;
  }
}
