import type { ChatMessage, ToolCall, ToolSpec } from '../llm-provider';
import { fnv1a } from './fnv1a';

/**
 * How the built-in mock model plays an agent, deterministically:
 * - a system message asking for a JSON plan ("Respond only with a JSON plan") gets
 *   `{"subtasks":[...]}`: the query split at "?", ";", "and then", and "and <question word>";
 * - a system message asking to combine results ("Combine the results") gets the results joined;
 * - with tools offered and no tool result yet: arithmetic in the query asks for `calculator`,
 *   a question about the time or date asks for `current_time`;
 * - after tool results: an answer built from them.
 * Anything else falls through to the plain mock answers (undefined here).
 */
export interface MockReply {
  text: string;
  toolCalls?: ToolCall[];
}

export const MOCK_PLAN_REQUEST = /respond only with a json plan/i;
export const MOCK_SYNTHESIS_REQUEST = /combine the results/i;

/** Arithmetic somewhere in a sentence: numbers joined by operators (words or symbols), parentheses allowed. */
const ARITHMETIC =
  /[-+]?\(*\s*\d+(?:\.\d+)?\s*\)*(?:\s*(?:[-+*/%^×÷]|plus|minus|times|multiplied\s+by|divided\s+by)\s*\(*\s*[-+]?\d+(?:\.\d+)?\s*\)*)+/i;
const TIME_QUESTION = /\b(?:what\s+time|current\s+(?:time|date)|time\s+is\s+it|today'?s\s+date|what\s+day\s+is\s+it|what\s+is\s+the\s+date)\b/i;
const SPLIT = /\s*(?:;|\?\s+|\band\s+then\b|\band\s+also\b|,?\s+and\s+(?=(?:what|who|where|when|why|how|which|write|calculate|compute|explain|describe|list|tell|give|summari[sz]e)\b))\s*/i;
const RESULT_LINE = /^Result \d+ \([^\n]*\):\n([\s\S]*?)(?=\n\nResult \d+ \(|$)/gm;

export function mockAgentReply(messages: ChatMessage[], tools: ToolSpec[] | undefined): MockReply | undefined {
  const system = messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n');
  const lastUserIndex = messages.map((m) => m.role).lastIndexOf('user');
  const query = (messages[lastUserIndex]?.content ?? '').trim();
  if (MOCK_PLAN_REQUEST.test(system)) {
    return { text: JSON.stringify({ subtasks: splitIntoSubtasks(query) }) };
  }
  if (MOCK_SYNTHESIS_REQUEST.test(system)) {
    return { text: synthesize(query) };
  }
  const toolResults = messages.slice(lastUserIndex + 1).filter((m) => m.role === 'tool');
  if (toolResults.length > 0) {
    return { text: toolResults.map(answerFromToolResult).join(' ') };
  }
  const offered = new Set((tools ?? []).map((tool) => tool.name));
  const arithmetic = ARITHMETIC.exec(query)?.[0].trim();
  if (offered.has('calculator') && arithmetic && /\d\s*\S+\s*\(*\s*[-+]?\d/.test(arithmetic)) {
    return { text: '', toolCalls: [call('calculator', { expression: arithmetic }, query)] };
  }
  if (offered.has('current_time') && TIME_QUESTION.test(query)) {
    return { text: '', toolCalls: [call('current_time', {}, query)] };
  }
  return undefined;
}

export function splitIntoSubtasks(query: string): string[] {
  const parts = query
    .split(SPLIT)
    .map((part) => part.trim().replace(/^and\s+/i, ''))
    .filter((part) => /\w/.test(part));
  const subtasks = parts.map((part) => (/[.?!]$/.test(part) || !/^(?:what|who|where|when|why|how|which|is|are)\b/i.test(part) ? part : `${part}?`));
  return subtasks.length > 0 ? subtasks.slice(0, 20) : [query];
}

function synthesize(prompt: string): string {
  const results = [...prompt.matchAll(RESULT_LINE)].map((match) => match[1].trim()).filter(Boolean);
  return results.length > 0 ? results.join('\n\n') : '(mock) There were no results to combine.';
}

function answerFromToolResult(message: ChatMessage): string {
  let parsed: Record<string, unknown> | undefined;
  try {
    parsed = JSON.parse(message.content) as Record<string, unknown>;
  } catch {
    parsed = undefined;
  }
  if (message.name === 'calculator' && parsed && 'result' in parsed) {
    return `${String(parsed['expression'])} = ${String(parsed['result'])}.`;
  }
  if (message.name === 'current_time' && parsed && 'iso' in parsed) {
    return `It is ${String(parsed['local'])} (${String(parsed['iso'])}).`;
  }
  return `The ${message.name ?? 'tool'} tool said: ${message.content}`;
}

function call(name: string, args: Record<string, unknown>, seed: string): ToolCall {
  return { id: `call_${fnv1a(`${name}:${seed}`).toString(16)}`, name, arguments: args };
}
