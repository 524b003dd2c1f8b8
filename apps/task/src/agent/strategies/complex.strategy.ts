import { cutText } from '@shannon/contracts';
import { parsePlan } from '../agent-loop';
import type { AgentRun } from '../agent-run';
import type { AgentStrategy } from './agent-strategy';
import { runSubtasks } from './team-work';

const MAX_SUBTASKS = 8;

/** complex: a planner splits the query, subtasks run in parallel, a synthesizer combines them. */
export class ComplexStrategy implements AgentStrategy {
  readonly mode = 'complex';

  async run(run: AgentRun): Promise<string> {
    await run.emit({ type: 'AGENT_STARTED', agentId: 'planner', message: 'planner is on it' });
    await run.emit({ type: 'AGENT_THINKING', agentId: 'planner', message: `Thinking about: ${cutText(run.task.query, 200)}` });
    const plan = await run.callModel('plan', 'planner', run.prompts.plannerMessages(MAX_SUBTASKS));
    const subtasks = parsePlan(plan.text, run.task.query, MAX_SUBTASKS);
    await run.emit({ type: 'AGENT_COMPLETED', agentId: 'planner', message: 'planner is done' });
    await run.emit({ type: 'PROGRESS', agentId: 'orchestrator', message: `Got a plan — ${subtasks.length} steps`, payload: { subtasks } });
    const results = await runSubtasks(run, subtasks, (index) => `agent-${index + 1}`, 'sub:');
    if (results.length === 1) {
      return results[0].text;
    }
    await run.emit({ type: 'AGENT_STARTED', agentId: 'synthesizer', message: 'synthesizer is on it' });
    await run.emit({ type: 'DATA_PROCESSING', agentId: 'synthesizer', message: 'Combining results' });
    const answer = await run.callModel('synthesis', 'synthesizer', run.prompts.synthesisMessages(results));
    await run.emit({ type: 'AGENT_COMPLETED', agentId: 'synthesizer', message: 'synthesizer is done' });
    return answer.text;
  }
}
