import { mapWithConcurrency, runAgentLoop } from '../agent-loop';
import type { AgentRun } from '../agent-run';
import type { SubtaskResult } from '../prompt-builder';

/**
 * Shared by complex and supervisor: run each subtask as its own tool-using agent, at most
 * max_concurrent_agents at once, with PROGRESS after each.
 */
export async function runSubtasks(run: AgentRun, subtasks: string[], agentName: (index: number) => string, keyPrefix: string): Promise<SubtaskResult[]> {
  let finished = 0;
  return mapWithConcurrency(subtasks, run.settings.maxConcurrentAgents, async (subtask, index) => {
    const agentId = agentName(index);
    await run.emit({ type: 'AGENT_STARTED', agentId, message: `${agentId} is on it`, payload: { task: subtask } });
    const text = await runAgentLoop(run, {
      agentId,
      keyPrefix: `${keyPrefix}${index}:`,
      messages: run.prompts.subtaskMessages(subtask),
      maxIterations: run.settings.maxIterations,
    });
    await run.emit({ type: 'AGENT_COMPLETED', agentId, message: `${agentId} is done` });
    finished += 1;
    await run.emit({ type: 'PROGRESS', agentId: 'orchestrator', message: `${finished} of ${subtasks.length} tasks done`, payload: { done: finished, total: subtasks.length } });
    return { subtask, text };
  });
}
