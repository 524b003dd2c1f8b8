import type { ChatMessage } from '../llm-provider';
import { answerArithmetic } from './arithmetic';
import { answerCapitalQuestion } from './capitals';
import { parseEssayRequest, writeEssay } from './essay';
import { shorten } from '@shannon/contracts';
import {
  answerTopicAspect,
  classifyTopicQuestion,
  findTopic,
  type Topic,
} from './topics';

const MAX_ECHOED_QUERY_CHARS = 200;

const NO_MODEL_CONFIGURED =
  'No language model is configured, so this is a canned reply from the built-in mock model; set OPENAI_API_KEY or ANTHROPIC_API_KEY to use a real one.';

const JSON_REQUEST =
  /\b(?:respond|reply|answer|output|return|format(?:ted)?|give\s+(?:it|me\s+the\s+answer))\s+(?:in|as|using|with)\s+json(?:\s+format)?\b|\b(?:as|in)\s+json(?:\s+format)?\b|\bjson\s+format\b/gi;

const GREETING =
  /^\s*(?:hello|hi|hey|hiya|howdy|greetings|good\s+(?:morning|afternoon|evening))\b/i;

const PRONOUN = /\b(its|it|they|them|their|that|this|those|these)\b/i;

const QUESTION_START =
  /^\s*(?:what|who|whom|whose|when|where|why|how|which|is|are|was|were|does|do|did|can|could|should|would|will|tell|explain|describe)\b/i;

const DEFINITION_REQUEST =
  /^\s*(?:what(?:'s|\s+is|\s+are)|tell\s+me\s+about|explain|describe|define|who\s+is)\b/i;

const CODING_HAIKU = [
  'Silent keys at night',
  'Bugs hide in the tangled loops',
  'Tests pass, morning comes',
].join('\n');
const NATURE_HAIKU = [
  'Morning mist rises',
  'Over the quiet river',
  'A heron stands still',
].join('\n');

const GREETING_ANSWER =
  "Hello! I'm the built-in mock model of this gateway. I give deterministic canned answers, so you can try capitals, simple arithmetic, haiku, short definitions or an essay of a given length.";

/**
 * The mock model's answer to a conversation: a pure, deterministic function of the messages
 * (same input → same output). Rules apply to the last user message, with earlier user messages
 * used to resolve pronouns such as "its".
 */
export function composeMockAnswer(messages: ChatMessage[]): string {
  const userMessages = messages.filter((message) => message.role === 'user');
  const last = userMessages[userMessages.length - 1];
  const query = (last?.content ?? '').trim();
  const history = userMessages.slice(0, -1).map((message) => message.content);
  return answer(query, history);
}

function answer(query: string, history: string[]): string {
  if (query.length === 0) {
    return `(mock) I received an empty request: there is no user message to answer. ${NO_MODEL_CONFIGURED}`;
  }
  return (
    answerAsJson(query, history) ??
    answerEssay(query) ??
    answerCapitalQuestion(query) ??
    answerArithmetic(query) ??
    answerHaiku(query) ??
    answerAboutMentionedTopic(query) ??
    answerFromHistory(query, history) ??
    answerGreeting(query) ??
    answerUnresolvedPronoun(query) ??
    answerDefault(query)
  );
}

function answerAsJson(query: string, history: string[]): string | undefined {
  if (!new RegExp(JSON_REQUEST.source, 'i').test(query)) {
    return undefined;
  }
  const rest = query
    .replace(JSON_REQUEST, ' ')
    .replace(/\s+/g, ' ')
    .replace(/\s+([.?!,;:])/g, '$1')
    .replace(/^[\s,;:.!-]+|[\s,;:-]+$/g, '')
    .replace(/([?!])\.$/, '$1')
    .trim();
  const inner = rest.length > 0 ? answer(rest, history) : answerDefault(query);
  return JSON.stringify({ answer: inner, query });
}

function answerEssay(query: string): string | undefined {
  const request = parseEssayRequest(query);
  return request && writeEssay(request, query.toLowerCase());
}

function answerHaiku(query: string): string | undefined {
  if (!/\bhaiku\b/i.test(query)) {
    return undefined;
  }
  return /\b(?:coding|code|programming)\b/i.test(query)
    ? CODING_HAIKU
    : NATURE_HAIKU;
}

function answerAboutMentionedTopic(query: string): string | undefined {
  const topic = findTopic(query);
  if (!topic) {
    return undefined;
  }
  const aspect = answerTopicAspect(topic, classifyTopicQuestion(query));
  if (aspect) {
    return aspect;
  }
  const justTheName =
    topic.pattern.test(query) &&
    query.replace(topic.pattern, '').replace(/[\s?.!]/g, '') === '';
  return DEFINITION_REQUEST.test(query) || justTheName
    ? topic.definition
    : undefined;
}

function mostRecentTopic(history: string[]): Topic | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const topic = findTopic(history[i]);
    if (topic) {
      return topic;
    }
  }
  return undefined;
}

function answerFromHistory(
  query: string,
  history: string[],
): string | undefined {
  const pronoun = PRONOUN.exec(query)?.[1];
  if (!pronoun) {
    return undefined;
  }
  const topic = mostRecentTopic(history);
  if (!topic) {
    return undefined;
  }
  return (
    answerTopicAspect(topic, classifyTopicQuestion(query)) ??
    `Assuming "${pronoun.toLowerCase()}" refers to ${topic.name}: ${topic.definition}`
  );
}

function answerGreeting(query: string): string | undefined {
  return GREETING.test(query) ? GREETING_ANSWER : undefined;
}

function answerUnresolvedPronoun(query: string): string | undefined {
  const pronoun = PRONOUN.exec(query)?.[1];
  const isQuestion = query.endsWith('?') || QUESTION_START.test(query);
  if (!pronoun || !isQuestion) {
    return undefined;
  }
  return `I'm not sure what "${pronoun.toLowerCase()}" refers to: this conversation has no earlier topic the built-in mock model recognises. Please name the subject explicitly.`;
}

function answerDefault(query: string): string {
  const echoed = shorten(query.replace(/\s+/g, ' '), MAX_ECHOED_QUERY_CHARS);
  return `(mock) I received your request: "${echoed}". ${NO_MODEL_CONFIGURED}`;
}
