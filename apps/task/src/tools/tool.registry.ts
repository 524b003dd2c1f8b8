import { Injectable } from '@nestjs/common';
import type { ToolCall, ToolSpec } from '../llm';
import { CalculatorTool } from './calculator.tool';
import { CurrentTimeTool } from './current-time.tool';
import type { Tool, ToolContext, ToolResult } from './tool';

/** Every built-in tool. A new tool is one file implementing `Tool`, added here. */
export const BUILT_IN_TOOLS: readonly Tool[] = [new CalculatorTool(), new CurrentTimeTool()];

/** The tools agents may call, by name. */
@Injectable()
export class ToolRegistry {
  private readonly tools = new Map<string, Tool>(BUILT_IN_TOOLS.map((tool) => [tool.spec.name, tool]));

  get specs(): ToolSpec[] {
    return [...this.tools.values()].map((tool) => tool.spec);
  }

  /** Runs one call; an unknown tool or a throwing tool becomes a failed result the model can read. */
  async run(call: ToolCall, context: ToolContext): Promise<ToolResult> {
    const tool = this.tools.get(call.name);
    if (!tool) {
      return { success: false, output: `Unknown tool "${call.name}" (available: ${[...this.tools.keys()].join(', ')})` };
    }
    try {
      return await tool.run(call.arguments, context);
    } catch (error) {
      if (context.signal.aborted) {
        throw error;
      }
      return { success: false, output: `${call.name} failed: ${error instanceof Error ? error.message : String(error)}` };
    }
  }
}
