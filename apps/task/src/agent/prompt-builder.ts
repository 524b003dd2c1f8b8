import { Injectable } from '@nestjs/common';
import type { ChatMessage } from '../llm';
import {
  ConversationHistory,
  type HistoryOptions,
} from '../sessions/conversation-history';
import type { TaskRow } from '../tasks/task.repository';

const AGENT_SYSTEM_PROMPT =
  'You are a helpful assistant. Answer the user directly and concisely. Use the tools offered when they help (for example the calculator for arithmetic).';

const PLANNER_SYSTEM_PROMPT = (maxSubtasks: number) =>
  `You plan work for other agents. Split the user's request into at most ${maxSubtasks} independent subtasks that can run in parallel. Respond only with a JSON plan of the form {"subtasks": ["...", "..."]} and nothing else.`;

const SUPERVISOR_SYSTEM_PROMPT = (maxHelpers: number) =>
  `You lead a team of at most ${maxHelpers} helper agents. Decide what each helper should do for the user's request. Respond only with a JSON plan of the form {"subtasks": ["task for helper 1", "..."]} and nothing else.`;

const SYNTHESIS_SYSTEM_PROMPT =
  'Combine the results of the subtasks below into one answer to the original question. Keep every fact, drop repetition, do not mention the subtasks.';

export interface SubtaskResult {
  subtask: string;
  text: string;
}

/**
 * The ONE place that assembles what a model sees for a task: `historyBefore` reads the session's
 * earlier turns (a bounded window) once, and the task's prompts build every strategy's messages on them.
 */
@Injectable()
export class PromptBuilder {
  constructor(private readonly history: ConversationHistory) {}

  /** The session's turns before the task's; waits while an earlier one still runs (see ConversationHistory). */
  historyBefore(task: TaskRow, options: HistoryOptions = {}): Promise<ChatMessage[]> {
    return this.history.before(task, options);
  }

  forTask(task: TaskRow, history: ChatMessage[] = []): TaskPrompts {
    return new TaskPrompts(task, history);
  }
}

/** One task's prompts: system prompt, the session's earlier turns, then the query. */
export class TaskPrompts {
  constructor(
    readonly task: TaskRow,
    readonly history: ChatMessage[] = [],
  ) {}

  /** The task's conversation (or a subtask's, with the same history). */
  messagesFor(query: string = this.task.query): ChatMessage[] {
    return [
      { role: 'system', content: AGENT_SYSTEM_PROMPT },
      ...this.history,
      { role: 'user', content: query },
    ];
  }

  /** complex: the planner's request for a JSON list of subtasks. */
  plannerMessages(maxSubtasks: number): ChatMessage[] {
    return this.withSystem(
      PLANNER_SYSTEM_PROMPT(maxSubtasks),
      this.messagesFor(),
    );
  }

  /** supervisor: the lead's request for what each helper does. */
  supervisorMessages(maxHelpers: number): ChatMessage[] {
    return this.withSystem(
      SUPERVISOR_SYSTEM_PROMPT(maxHelpers),
      this.messagesFor(),
    );
  }

  /** One subtask, seen by the agent that runs it. */
  subtaskMessages(subtask: string): ChatMessage[] {
    return this.messagesFor(subtask);
  }

  /** The final answer from the subtasks' results. */
  synthesisMessages(results: SubtaskResult[]): ChatMessage[] {
    const body = results
      .map(
        (result, index) =>
          `Result ${index + 1} (${result.subtask}):\n${result.text}`,
      )
      .join('\n\n');
    return [
      { role: 'system', content: SYNTHESIS_SYSTEM_PROMPT },
      {
        role: 'user',
        content: `Original question: ${this.task.query}\n\n${body}`,
      },
    ];
  }

  private withSystem(
    system: string,
    conversation: ChatMessage[],
  ): ChatMessage[] {
    return [
      { role: 'system', content: system },
      ...conversation.filter((message) => message.role !== 'system'),
    ];
  }
}
