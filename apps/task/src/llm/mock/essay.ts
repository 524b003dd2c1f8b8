import { fnv1a } from './fnv1a';

/** Longest essay the mock model writes, in words. */
export const MAX_ESSAY_WORDS = 100_000;

const KINDS = [
  'essay',
  'story',
  'article',
  'paragraph',
  'poem',
  'piece',
] as const;

/** "<N> words", "<N>-word", "5,000 word". */
const WORD_COUNT = /\b(\d{1,3}(?:,\d{3})+|\d+)\s*-?\s*words?\b/i;
const WRITING_REQUEST = new RegExp(
  String.raw`\b(?:${KINDS.join('|')}|write|compose|generate)\b`,
  'i',
);
const KIND = new RegExp(String.raw`\b(${KINDS.join('|')})\b`, 'i');
const TOPIC = /\b(?:about|on|regarding|concerning)\s+(.+?)\s*(?:[.?!]+\s*)?$/i;

const ADJECTIVES = [
  'bright',
  'careful',
  'steady',
  'quiet',
  'simple',
  'durable',
  'practical',
  'curious',
  'gentle',
  'modern',
  'subtle',
  'patient',
  'robust',
  'vivid',
  'familiar',
  'useful',
];
const NOUNS = [
  'idea',
  'system',
  'pattern',
  'question',
  'process',
  'community',
  'detail',
  'journey',
  'method',
  'story',
  'network',
  'balance',
  'habit',
  'structure',
  'signal',
  'practice',
];
const VERBS = [
  'shapes',
  'connects',
  'improves',
  'reveals',
  'supports',
  'changes',
  'guides',
  'explains',
  'extends',
  'balances',
  'frames',
  'reflects',
];
const ADVERBS = [
  'quietly',
  'steadily',
  'clearly',
  'carefully',
  'naturally',
  'gradually',
  'reliably',
  'often',
];

/** Slots: {A} adjective, {N} noun, {V} verb, {D} adverb, {T} the topic. */
const TEMPLATES = [
  'The {A} {N} {V} every {N}.',
  'In practice, the {N} behind {T} {V} the {A} {N}.',
  'Many people notice how the {N} {V} {D}.',
  'Over time, each {A} {N} {V} the {A} {N}.',
  'This is why attention to {T} matters for the {N}.',
  'A {A} {N} {V} the {N} {D}.',
  'Yet the {N} still {V} {D}, and the {N} {V} with it.',
  'Some argue that thinking about {T} {V} the {A} {N}.',
];

const SENTENCES_PER_PARAGRAPH = 5;

export interface EssayRequest {
  words: number;
  kind: string;
  topic: string;
}

/** Recognises "<N> word essay|story|article ..." and "write ... <N> words"; undefined otherwise. */
export function parseEssayRequest(query: string): EssayRequest | undefined {
  const count = WORD_COUNT.exec(query);
  if (!count || !WRITING_REQUEST.test(query)) {
    return undefined;
  }
  const requested = Number(count[1].replace(/,/g, ''));
  if (!Number.isFinite(requested) || requested < 1) {
    return undefined;
  }
  const kind = KIND.exec(query)?.[1].toLowerCase() ?? 'text';
  return {
    words: Math.min(requested, MAX_ESSAY_WORDS),
    kind,
    topic: extractTopic(query),
  };
}

function extractTopic(query: string): string {
  const match = TOPIC.exec(query.replace(/\s+/g, ' '));
  const topic = (match?.[1] ?? '')
    // "about cats in 50 words" → "cats"
    .replace(
      /\s*\b(?:in|with|of|using)?\s*(?:\d{1,3}(?:,\d{3})+|\d+)\s*-?\s*words?\b.*$/i,
      '',
    )
    .replace(/[\s,;:.!?]+$/, '')
    .trim();
  if (topic.length === 0) {
    return 'the topic you requested';
  }
  const words = topic.split(' ');
  return words.length > 12 ? words.slice(0, 12).join(' ') : topic;
}

/** mulberry32: a tiny deterministic generator, seeded by a hash of the query. */
function seededSequence(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function countWords(text: string): number {
  return text.split(/\s+/).filter((word) => word.length > 0).length;
}

/** The first `count` words of `sentence`, ending with a full stop. */
function truncateSentence(sentence: string, count: number): string {
  const words = sentence
    .split(/\s+/)
    .filter((word) => word.length > 0)
    .slice(0, count);
  const last = words[words.length - 1].replace(/[^\p{L}\p{N}]+$/u, '');
  words[words.length - 1] =
    `${last.length > 0 ? last : words[words.length - 1]}.`;
  return words.join(' ');
}

/**
 * Exactly `request.words` whitespace-separated words of deterministic prose: the first sentence
 * states the topic, the rest comes from a fixed vocabulary driven by an FNV-1a hash of `seedText`.
 */
export function writeEssay(request: EssayRequest, seedText: string): string {
  const next = seededSequence(fnv1a(seedText));
  const pick = (list: readonly string[]): string =>
    list[Math.floor(next() * list.length)];
  const fill = (template: string): string =>
    template.replace(/\{([ANVDT])\}/g, (_, slot: string) => {
      switch (slot) {
        case 'A':
          return pick(ADJECTIVES);
        case 'N':
          return pick(NOUNS);
        case 'V':
          return pick(VERBS);
        case 'D':
          return pick(ADVERBS);
        default:
          return request.topic;
      }
    });

  const sentences: string[] = [];
  let remaining = request.words;
  let sentence = `This ${request.kind} is about ${request.topic}.`;
  while (remaining > 0) {
    const words = countWords(sentence);
    if (words > remaining) {
      sentence = truncateSentence(sentence, remaining);
    }
    sentences.push(sentence);
    remaining -= Math.min(words, remaining);
    sentence = fill(pick(TEMPLATES));
  }

  let text = '';
  sentences.forEach((s, index) => {
    if (index > 0) {
      text += index % SENTENCES_PER_PARAGRAPH === 0 ? '\n\n' : ' ';
    }
    text += s;
  });
  return text;
}
