// The peer's long answer for W3: one node whose fake chat model streams an essay token by token
// (FakeListChatModel streams one character per chunk and sleeps between chunks), so one run
// produces a steady stream for minutes, at the pace of our mock model's `token_delay_ms`. The
// answer starts after `start_delay_ms`, like our mock's, so every client can join the run first.
// Both are read from the run's `config.configurable`.
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { MessagesAnnotation, StateGraph } from '@langchain/langgraph';

const PARAGRAPH =
  'Rivers carry water from the hills to the sea, and along the way they shape valleys, feed fields and towns, ' +
  'and carry boats, stories and silt. A river is never the same twice, yet it keeps its name for centuries. ';
/** About 600 words: at 200 ms a character it lasts far longer than any measurement window. */
const ESSAY = PARAGRAPH.repeat(15);

async function writeEssay(state: typeof MessagesAnnotation.State, config: LangGraphRunnableConfig) {
  const { token_delay_ms = 200, start_delay_ms = 0 } = (config.configurable ?? {}) as { token_delay_ms?: number; start_delay_ms?: number };
  await new Promise((resolve) => setTimeout(resolve, start_delay_ms));
  const model = new FakeListChatModel({ responses: [ESSAY], sleep: token_delay_ms });
  // invoke, not stream: the server's `messages` stream mode still receives every token.
  const answer = await model.invoke(state.messages, config);
  return { messages: [answer] };
}

export const graph = new StateGraph(MessagesAnnotation).addNode('essay', writeEssay).addEdge('__start__', 'essay').compile();
