import type { ChatMessage } from '../llm';
import { countTokens } from '../llm';

export interface ConversationExchange {
  query: string;
  answer: string;
}

export interface WindowLimits {
  maxTurns: number;
  maxTokens: number;
}

const TRUNCATED = ' […]';

/**
 * The part of a conversation a model sees: the newest exchanges that fit in `maxTurns` and
 * `maxTokens`, oldest first, as user/assistant messages. The window is always a contiguous run
 * ending at the latest exchange; if even that one is too long its answer is cut to fit (the
 * question is kept whole, or the exchange is left out when the question alone does not fit).
 */
export function conversationWindow(exchanges: ConversationExchange[], limits: WindowLimits, tokens: (text: string) => number = countTokens): ChatMessage[] {
  const kept: ChatMessage[][] = [];
  let budget = limits.maxTokens;
  for (const exchange of [...exchanges].reverse()) {
    if (kept.length >= limits.maxTurns) {
      break;
    }
    const cost = tokens(exchange.query) + tokens(exchange.answer);
    if (cost <= budget) {
      kept.push(messages(exchange.query, exchange.answer));
      budget -= cost;
      continue;
    }
    if (kept.length === 0) {
      const room = budget - tokens(exchange.query) - tokens(TRUNCATED);
      if (room > 0) {
        kept.push(messages(exchange.query, cutToTokens(exchange.answer, room, tokens) + TRUNCATED));
      }
    }
    break;
  }
  return kept.reverse().flat();
}

function messages(query: string, answer: string): ChatMessage[] {
  return [
    { role: 'user', content: query },
    { role: 'assistant', content: answer },
  ];
}

/** The longest prefix of `text` (cut at a word when possible) that costs at most `limit` tokens. */
function cutToTokens(text: string, limit: number, tokens: (text: string) => number): string {
  let low = 0;
  let high = text.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (tokens(text.slice(0, mid)) <= limit) {
      low = mid;
    } else {
      high = mid - 1;
    }
  }
  const prefix = text.slice(0, low);
  const lastSpace = prefix.lastIndexOf(' ');
  return (lastSpace > low / 2 ? prefix.slice(0, lastSpace) : prefix).trimEnd();
}
