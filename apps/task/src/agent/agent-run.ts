import type { JsonObject } from '@bufbuild/protobuf';
import { cutText } from '@shannon/contracts';
import { type ChatMessage, countTokens, LlmAbortedError, type LlmProvider, type LlmUsage, type ModelCatalog, type ToolCall, type ToolSpec } from '../llm';
import type { MockPacingInput } from '../tasks/task-input';
import type { TaskSettings } from '../tasks/task-settings';
import type { TaskRow } from '../tasks/task.repository';
import type { ToolResult } from '../tools/tool';
import type { ToolRegistry } from '../tools/tool.registry';
import type { StepRecord } from '../worker/task-run.repository';
import type { TaskEventInput } from '../worker/task-event.publisher';
import { type Budget, BudgetExhaustedError } from './budget';
import { DeltaCoalescer } from './delta-coalescer';
import type { TaskPrompts } from './prompt-builder';
import type { RunControl } from './run-control';

export interface ModelTurn {
  text: string;
  toolCalls: ToolCall[];
  finishReason: string;
}

/** Where a run's finished steps come from and go to (the task_steps table in production). */
export interface StepJournal {
  completed(key: string): { output: unknown } | undefined;
  record(step: StepRecord): Promise<void>;
}

export interface AgentRunDeps {
  task: TaskRow;
  settings: TaskSettings;
  prompts: TaskPrompts;
  provider: LlmProvider;
  model: string;
  catalog: ModelCatalog;
  tools: ToolRegistry;
  journal: StepJournal;
  control: RunControl;
  budget: Budget;
  mock: MockPacingInput;
  /** The most text one LLM_PARTIAL event carries when deltas gather (ADR 0051). */
  deltaMaxChars: number;
  emit: (event: TaskEventInput) => Promise<unknown>;
  /** Holds the run while a pause is requested (with its events and status changes). */
  hold: () => Promise<void>;
  /** The BUDGET_THRESHOLD event, sent once per task. */
  warnBudget: () => Promise<void>;
  now?: () => Date;
}

const BUDGET_WARNING = 0.8;

/**
 * What a strategy can do: call the model and tools as checkpointed steps, emit events, and stop
 * at step boundaries (pause, cancel, budget). A step whose key is already in the journal is
 * replayed from it: a redelivered task never pays for a finished model call again.
 */
export class AgentRun {
  constructor(private readonly deps: AgentRunDeps) {}

  get task(): TaskRow {
    return this.deps.task;
  }

  get settings(): TaskSettings {
    return this.deps.settings;
  }

  get prompts(): TaskPrompts {
    return this.deps.prompts;
  }

  get toolSpecs(): ToolSpec[] {
    return this.deps.tools.specs;
  }

  emit(event: TaskEventInput): Promise<unknown> {
    return this.deps.emit(event);
  }

  /** Between steps: stop if stopped, hold while paused, stop cleanly when the budget is spent. */
  async boundary(): Promise<void> {
    this.deps.control.throwIfStopped();
    if (this.deps.control.pauseRequested) {
      await this.deps.hold();
      this.deps.control.throwIfStopped();
    }
    if (this.deps.budget.exhausted) {
      throw new BudgetExhaustedError(`Budget exhausted: used ${this.deps.budget.describe()}`);
    }
  }

  async callModel(key: string, agentId: string, messages: ChatMessage[], options: { tools?: boolean } = {}): Promise<ModelTurn> {
    const done = this.deps.journal.completed(key);
    if (done) {
      return done.output as ModelTurn;
    }
    await this.boundary();
    const { provider, model, catalog, budget, control } = this.deps;
    const promptTokens = countTokens(messages.map((m) => m.content).join('\n'));
    const cap = budget.outputCap(promptTokens, catalog.price(provider.name, model));
    if (cap !== undefined && cap < 1) {
      throw new BudgetExhaustedError(`Budget exhausted: the next call needs more than is left (used ${budget.describe()})`);
    }
    const last = [...messages].reverse().find((m) => m.role === 'user')?.content ?? '';
    await this.emit({ type: 'LLM_PROMPT', agentId, message: cutText(last, 500), payload: { step: key, model, provider: provider.name } });
    const started = Date.now();
    const deltas = new DeltaCoalescer((text) => this.emit({ type: 'LLM_PARTIAL', agentId, message: text }), this.deps.deltaMaxChars);
    try {
      for await (const event of provider.stream({
        messages,
        model,
        signal: control.signal,
        mock: this.deps.mock,
        maxOutputTokens: cap,
        tools: options.tools ? this.toolSpecs : undefined,
        metadata: { taskId: this.task.id, step: key },
      })) {
        if (event.type === 'delta') {
          deltas.push(event.text);
          continue;
        }
        await deltas.flush();
        const turn: ModelTurn = { text: event.text, toolCalls: event.toolCalls ?? [], finishReason: event.finishReason };
        const cost = catalog.cost(event.provider, event.model, event.usage);
        await this.record({ key, kind: 'llm', status: 'completed', output: turn as unknown as JsonObject, model: event.model, provider: event.provider, usage: event.usage, cost, started });
        await this.emit({
          type: 'LLM_OUTPUT',
          agentId,
          message: cutText(event.text, 4000),
          payload: {
            step: key,
            model_used: event.model,
            provider: event.provider,
            input_tokens: event.usage.inputTokens,
            output_tokens: event.usage.outputTokens,
            tokens_used: event.usage.inputTokens + event.usage.outputTokens,
            cost_usd: cost,
            duration_ms: Date.now() - started,
            finish_reason: event.finishReason,
            ...(turn.toolCalls.length ? { tool_calls: turn.toolCalls.map((call) => call.name) } : {}),
          },
        });
        if (cap !== undefined && event.finishReason === 'length') {
          throw new BudgetExhaustedError(`Budget exhausted: the answer was cut at the budget (used ${budget.describe()})`);
        }
        return turn;
      }
      throw new Error(`${provider.name} ended its answer without a final message`);
    } catch (error) {
      // What the model said before it stopped is streamed in full (a failed send has nothing more to add).
      await deltas.flush().catch(() => undefined);
      if (error instanceof LlmAbortedError && (control.reason === 'cancel' || control.reason === 'timeout')) {
        // The run ends here: what the aborted call produced is paid for and counted.
        const cost = catalog.cost(provider.name, model, error.usage);
        await this.record({ key: `${key}#${control.reason}`, kind: 'llm', status: 'aborted', output: {}, model, provider: provider.name, usage: error.usage, cost, started });
      }
      throw error;
    }
  }

  async callTool(key: string, agentId: string, call: ToolCall): Promise<ToolResult> {
    const done = this.deps.journal.completed(key);
    if (done) {
      return done.output as ToolResult;
    }
    await this.boundary();
    await this.emit({ type: 'TOOL_INVOKED', agentId, message: `Using ${call.name}`, payload: { tool: call.name, params: call.arguments as JsonObject, step: key } });
    const started = Date.now();
    const result = await this.deps.tools.run(call, { signal: this.deps.control.signal, now: this.deps.now ?? (() => new Date()) });
    this.deps.control.throwIfStopped();
    await this.record({ key, kind: 'tool', status: 'completed', output: result as unknown as JsonObject, usage: { inputTokens: 0, outputTokens: 0 }, cost: 0, started });
    await this.emit({
      type: 'TOOL_OBSERVATION',
      agentId,
      message: cutText(result.output, 2000),
      payload: { tool: call.name, success: result.success, duration_ms: Date.now() - started, step: key },
    });
    return result;
  }

  private async record(step: { key: string; kind: 'llm' | 'tool'; status: 'completed' | 'aborted'; output: JsonObject; model?: string; provider?: string; usage: LlmUsage; cost: number; started: number }): Promise<void> {
    await this.deps.journal.record({
      key: step.key,
      kind: step.kind,
      status: step.status,
      output: step.output,
      model: step.model,
      provider: step.provider,
      inputTokens: step.usage.inputTokens,
      outputTokens: step.usage.outputTokens,
      estimatedCost: step.cost,
      durationMs: Date.now() - step.started,
    });
    const before = this.deps.budget.spentFraction;
    this.deps.budget.add(step.usage.inputTokens + step.usage.outputTokens, step.cost);
    if (this.deps.budget.hasLimits && before < BUDGET_WARNING && this.deps.budget.spentFraction >= BUDGET_WARNING) {
      await this.deps.warnBudget();
    }
  }
}
