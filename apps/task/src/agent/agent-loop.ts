import type { ChatMessage } from '../llm';
import type { AgentRun } from './agent-run';

export interface AgentLoopOptions {
  agentId: string;
  /** Prefix of the step keys, unique per agent within the task ("" for the only agent). */
  keyPrefix: string;
  messages: ChatMessage[];
  maxIterations: number;
}

/**
 * A tool-using agent: ask the model (tools offered), run the tools it asks for, feed the results
 * back, until it answers or `maxIterations` model calls were made (the last one gets no tools, so
 * it must answer).
 */
export async function runAgentLoop(run: AgentRun, options: AgentLoopOptions): Promise<string> {
  const transcript = [...options.messages];
  for (let iteration = 0; ; iteration++) {
    const last = iteration >= options.maxIterations - 1;
    const turn = await run.callModel(`${options.keyPrefix}llm:${iteration}`, options.agentId, transcript, { tools: !last });
    if (turn.toolCalls.length === 0 || last) {
      return turn.text;
    }
    transcript.push({ role: 'assistant', content: turn.text, toolCalls: turn.toolCalls });
    for (const [index, call] of turn.toolCalls.entries()) {
      const result = await run.callTool(`${options.keyPrefix}tool:${iteration}:${index}`, options.agentId, call);
      transcript.push({ role: 'tool', content: result.output, toolCallId: call.id, name: call.name });
    }
  }
}

/** Runs `work` over `items` with at most `limit` at once; on a failure, starts no more and rethrows once all settled. */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const lane = async (): Promise<void> => {
    while (next < items.length && !failure) {
      const index = next++;
      try {
        results[index] = await work(items[index], index);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) {
    throw failure.error;
  }
  return results;
}

/** Subtasks from a planner's JSON answer; the whole query when the plan is unusable. */
export function parsePlan(text: string, query: string, max: number): string[] {
  const json = /\{[\s\S]*\}/.exec(text)?.[0];
  try {
    const plan = json ? (JSON.parse(json) as { subtasks?: unknown }) : undefined;
    const subtasks = Array.isArray(plan?.subtasks) ? plan.subtasks.filter((s): s is string => typeof s === 'string' && s.trim() !== '').map((s) => s.trim()) : [];
    return subtasks.length > 0 ? subtasks.slice(0, max) : [query];
  } catch {
    return [query];
  }
}
