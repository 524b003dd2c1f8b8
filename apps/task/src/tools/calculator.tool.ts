import { ArithmeticError, evaluateArithmetic, formatArithmeticResult } from './arithmetic-expression';
import type { Tool, ToolResult } from './tool';

/** Evaluates an arithmetic expression exactly as written (no network, no eval). */
export class CalculatorTool implements Tool {
  readonly spec = {
    name: 'calculator',
    description: 'Evaluates an arithmetic expression with + - * / % ^ and parentheses, e.g. "(17 * 23) + 4".',
    parameters: {
      type: 'object',
      properties: { expression: { type: 'string', description: 'The expression to evaluate.' } },
      required: ['expression'],
      additionalProperties: false,
    },
  };

  run(args: Record<string, unknown>): Promise<ToolResult> {
    const expression = args['expression'];
    if (typeof expression !== 'string' || !expression.trim()) {
      return Promise.resolve({ success: false, output: 'calculator needs {"expression": "<arithmetic>"}' });
    }
    try {
      const result = formatArithmeticResult(evaluateArithmetic(expression));
      return Promise.resolve({ success: true, output: JSON.stringify({ expression: expression.trim(), result }) });
    } catch (error) {
      if (error instanceof ArithmeticError) {
        return Promise.resolve({ success: false, output: `${expression.trim()}: ${error.message}` });
      }
      throw error;
    }
  }
}
