import type { ToolSpec } from '../llm';

export interface ToolContext {
  /** Aborts with the task (cancel, timeout): a tool must stop promptly. */
  signal: AbortSignal;
  now: () => Date;
}

/** What a tool hands back to the model: text it reads, and whether the call worked. */
export interface ToolResult {
  success: boolean;
  output: string;
}

/** A built-in tool. Adding one = one file implementing this, listed in BUILT_IN_TOOLS. */
export interface Tool {
  readonly spec: ToolSpec;
  run(args: Record<string, unknown>, context: ToolContext): Promise<ToolResult>;
}
