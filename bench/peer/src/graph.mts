// The peer's agent: one node calling a fake chat model that streams a canned answer token by
// token, with no API key, as a LangGraph user would write it for a local test.
import { FakeListChatModel } from '@langchain/core/utils/testing';
import { MessagesAnnotation, StateGraph } from '@langchain/langgraph';

const model = new FakeListChatModel({ responses: ['The capital of France is Paris.'], sleep: 0 });

async function callModel(state: typeof MessagesAnnotation.State) {
  const answer = await model.invoke(state.messages);
  return { messages: [answer] };
}

export const graph = new StateGraph(MessagesAnnotation).addNode('agent', callModel).addEdge('__start__', 'agent').compile();
