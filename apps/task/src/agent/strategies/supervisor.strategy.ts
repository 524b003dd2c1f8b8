import { cutText } from '@shannon/contracts';
import { parsePlan } from '../agent-loop';
import type { AgentRun } from '../agent-run';
import type { AgentStrategy } from './agent-strategy';
import { runSubtasks } from './team-work';

const LEAD = 'supervisor';
const MAX_HELPERS = 8;

/** supervisor: a lead agent delegates parts of the work to helpers, then writes the answer from their reports. */
export class SupervisorStrategy implements AgentStrategy {
  readonly mode = 'supervisor';

  async run(run: AgentRun): Promise<string> {
    await run.emit({ type: 'AGENT_STARTED', agentId: LEAD, message: `${LEAD} is on it` });
    await run.emit({ type: 'AGENT_THINKING', agentId: LEAD, message: `Thinking about: ${cutText(run.task.query, 200)}` });
    const plan = await run.callModel('lead:plan', LEAD, run.prompts.supervisorMessages(MAX_HELPERS));
    const assignments = parsePlan(plan.text, run.task.query, MAX_HELPERS);
    for (const [index, assignment] of assignments.entries()) {
      await run.emit({ type: 'DELEGATION', agentId: LEAD, message: `Delegating to helper-${index + 1}: ${cutText(assignment, 200)}`, payload: { helper: `helper-${index + 1}`, task: assignment } });
    }
    const reports = await runSubtasks(run, assignments, (index) => `helper-${index + 1}`, 'helper:');
    await run.emit({ type: 'DATA_PROCESSING', agentId: LEAD, message: 'Combining results' });
    const answer = await run.callModel('lead:final', LEAD, run.prompts.synthesisMessages(reports));
    await run.emit({ type: 'AGENT_COMPLETED', agentId: LEAD, message: `${LEAD} is done` });
    return answer.text;
  }
}
