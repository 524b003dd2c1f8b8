/** A subject the mock model can talk about, with small canned facts. */
export interface Topic {
  /** How the topic reads mid-sentence ("Python", "machine learning"). */
  name: string;
  /** Matches a mention of the topic in a message. */
  pattern: RegExp;
  /** One to three factual sentences. */
  definition: string;
  advantages: string[];
  drawbacks: string[];
  uses: string[];
  origin: string;
}

export const TOPICS: readonly Topic[] = [
  {
    name: 'Python',
    pattern: /\bpython\b/i,
    definition:
      'Python is a high-level, general-purpose programming language known for its readable syntax. It is dynamically typed, garbage-collected and comes with a large standard library.',
    advantages: [
      'readable syntax',
      'a huge ecosystem of libraries',
      'fast prototyping',
      'strong support for data science and automation',
    ],
    drawbacks: [
      'slower execution than compiled languages',
      'the global interpreter lock limiting CPU-bound threading',
      'runtime type errors',
    ],
    uses: [
      'web back ends',
      'data analysis',
      'machine learning',
      'scripting and automation',
    ],
    origin:
      'Python was created by Guido van Rossum and first released in 1991.',
  },
  {
    name: 'JavaScript',
    pattern: /\bjavascript\b|\bjs\b/i,
    definition:
      'JavaScript is the programming language of the web: every major browser runs it, and Node.js runs it on servers. It is dynamically typed and event-driven.',
    advantages: [
      'it runs in every browser',
      'one language for front end and back end',
      'the enormous npm ecosystem',
      'a non-blocking, event-driven model',
    ],
    drawbacks: [
      'loose typing and surprising coercions',
      'a fragmented tooling landscape',
      'single-threaded CPU work',
    ],
    uses: [
      'interactive web pages',
      'web servers with Node.js',
      'desktop and mobile apps',
      'tooling and scripts',
    ],
    origin: 'JavaScript was created by Brendan Eich at Netscape in 1995.',
  },
  {
    name: 'TypeScript',
    pattern: /\btypescript\b/i,
    definition:
      'TypeScript is a typed superset of JavaScript developed by Microsoft. It adds static types checked at compile time and compiles to plain JavaScript.',
    advantages: [
      'type errors caught before runtime',
      'excellent editor tooling and refactoring',
      'full compatibility with the JavaScript ecosystem',
      'self-documenting code',
    ],
    drawbacks: [
      'a compile step',
      'complex types that can be hard to read',
      'types that are not checked at runtime',
    ],
    uses: [
      'large web front ends',
      'Node.js services',
      'libraries with typed public APIs',
    ],
    origin:
      'TypeScript was designed by Anders Hejlsberg at Microsoft and released in 2012.',
  },
  {
    name: 'Rust',
    pattern: /\brust\b/i,
    definition:
      'Rust is a systems programming language focused on safety, speed and concurrency. Its ownership model guarantees memory safety without a garbage collector.',
    advantages: [
      'memory safety without a garbage collector',
      'performance comparable to C and C++',
      'fearless concurrency',
      'a helpful compiler and the Cargo toolchain',
    ],
    drawbacks: [
      'a steep learning curve',
      'long compile times',
      'a younger library ecosystem than older languages',
    ],
    uses: [
      'systems programming',
      'command-line tools',
      'WebAssembly',
      'performance-critical services',
    ],
    origin:
      'Rust started as a project by Graydon Hoare at Mozilla; version 1.0 was released in 2015.',
  },
  {
    name: 'Go',
    pattern:
      /\bgolang\b|\bgo\s+(?:language|programming|lang)\b|^\s*(?:what(?:'s|\s+is)|tell\s+me\s+about|explain|describe|define)\s+go\s*[?.!]*\s*$/i,
    definition:
      'Go is a statically typed, compiled programming language designed at Google. It is known for its simplicity, fast compilation and built-in concurrency with goroutines and channels.',
    advantages: [
      'simple, small language',
      'fast compilation to a single static binary',
      'built-in concurrency with goroutines',
      'a strong standard library for networking',
    ],
    drawbacks: [
      'verbose error handling',
      'a deliberately limited type system',
      'a garbage collector that adds some latency',
    ],
    uses: [
      'cloud services and APIs',
      'command-line tools',
      'infrastructure software such as Docker and Kubernetes',
    ],
    origin:
      'Go was designed by Robert Griesemer, Rob Pike and Ken Thompson at Google and released in 2009.',
  },
  {
    name: 'Docker',
    pattern: /\bdocker\b/i,
    definition:
      'Docker is a platform for building and running applications in containers. A container packages an application with its dependencies so it runs the same way everywhere.',
    advantages: [
      'consistent environments from laptop to production',
      'lightweight isolation compared with virtual machines',
      'fast start-up',
      'reproducible builds from a Dockerfile',
    ],
    drawbacks: [
      'a shared host kernel, so weaker isolation than virtual machines',
      'image sprawl',
      'extra complexity for stateful workloads',
    ],
    uses: [
      'packaging services',
      'reproducible development environments',
      'continuous integration pipelines',
    ],
    origin:
      'Docker was released by Solomon Hykes and the company dotCloud in 2013.',
  },
  {
    name: 'Kubernetes',
    pattern: /\bkubernetes\b|\bk8s\b/i,
    definition:
      'Kubernetes is an open-source system for orchestrating containers. It schedules, scales and heals containerised applications across a cluster of machines.',
    advantages: [
      'automatic scaling and self-healing',
      'declarative configuration',
      'portability across clouds',
      'a large ecosystem of extensions',
    ],
    drawbacks: [
      'significant operational complexity',
      'a steep learning curve',
      'overhead that is too much for small projects',
    ],
    uses: [
      'running microservices',
      'batch and scheduled jobs',
      'multi-cloud deployments',
    ],
    origin:
      'Kubernetes was created at Google, based on its internal Borg system, and open-sourced in 2014.',
  },
  {
    name: 'NATS',
    pattern: /\bnats\b/i,
    definition:
      'NATS is a lightweight, high-performance messaging system for cloud-native applications. It offers publish-subscribe, request-reply and, with JetStream, persistent streams.',
    advantages: [
      'very low latency',
      'a tiny, simple server',
      'subject-based addressing',
      'optional persistence with JetStream',
    ],
    drawbacks: [
      'fewer enterprise integrations than Kafka',
      'at-most-once delivery unless JetStream is used',
    ],
    uses: [
      'service-to-service messaging',
      'event streaming',
      'edge and IoT communication',
    ],
    origin:
      'NATS was created by Derek Collison in 2010 and is now a CNCF project.',
  },
  {
    name: 'PostgreSQL',
    pattern: /\bpostgres(?:ql)?\b/i,
    definition:
      'PostgreSQL is a powerful open-source relational database. It is known for standards compliance, reliability and extensibility.',
    advantages: [
      'strong ACID guarantees',
      'rich SQL and JSON support',
      'extensibility with custom types and extensions',
      'a mature, reliable track record',
    ],
    drawbacks: [
      'vertical scaling by default',
      'vacuum and tuning that need attention',
      'a process-per-connection model',
    ],
    uses: [
      'transactional application data',
      'analytics',
      'geospatial data with PostGIS',
    ],
    origin:
      'PostgreSQL grew out of the POSTGRES project led by Michael Stonebraker at Berkeley in 1986.',
  },
  {
    name: 'Redis',
    pattern: /\bredis\b/i,
    definition:
      'Redis is an in-memory data store used as a database, cache and message broker. It supports data structures such as strings, hashes, lists, sets and streams.',
    advantages: [
      'very fast in-memory operations',
      'versatile data structures',
      'simple to run',
      'built-in publish-subscribe',
    ],
    drawbacks: [
      'data size limited by memory',
      'weaker durability than disk-first databases',
      'mostly single-threaded command execution',
    ],
    uses: [
      'caching',
      'session storage',
      'rate limiting',
      'queues and leaderboards',
    ],
    origin: 'Redis was created by Salvatore Sanfilippo in 2009.',
  },
  {
    name: 'machine learning',
    pattern: /\bmachine\s+learning\b|\bml\b/i,
    definition:
      'Machine learning is a field of artificial intelligence in which systems learn patterns from data instead of following explicitly programmed rules. Trained models then make predictions or decisions on new data.',
    advantages: [
      'automating decisions that are hard to program by hand',
      'finding patterns in large data sets',
      'improving as more data arrives',
    ],
    drawbacks: [
      'the need for large amounts of good data',
      'results that can be hard to explain',
      'biases inherited from training data',
    ],
    uses: [
      'recommendations',
      'image and speech recognition',
      'fraud detection',
      'language models',
    ],
    origin: 'The term machine learning was coined by Arthur Samuel in 1959.',
  },
];

/** The topic mentioned earliest in `text`, if any. */
export function findTopic(text: string): Topic | undefined {
  let best: { topic: Topic; index: number } | undefined;
  for (const topic of TOPICS) {
    const match = topic.pattern.exec(text);
    if (match && (best === undefined || match.index < best.index)) {
      best = { topic, index: match.index };
    }
  }
  return best?.topic;
}

export type TopicQuestionKind =
  | 'advantages'
  | 'drawbacks'
  | 'uses'
  | 'origin'
  | 'other';

/** What aspect of a topic a question asks about. */
export function classifyTopicQuestion(query: string): TopicQuestionKind {
  if (
    /\b(?:disadvantages?|drawbacks?|cons|weaknesses|weakness|downsides?|limitations?)\b/i.test(
      query,
    )
  ) {
    return 'drawbacks';
  }
  if (
    /\b(?:advantages?|benefits?|pros|strengths?|good\s+at|why\s+(?:should\s+i\s+|would\s+i\s+|do\s+people\s+)?use)\b/i.test(
      query,
    )
  ) {
    return 'advantages';
  }
  if (
    /\b(?:used\s+for|use\s+cases?|uses|applications?|what\s+can\s+(?:i|you|we)\s+(?:do|build))\b/i.test(
      query,
    )
  ) {
    return 'uses';
  }
  if (
    /\b(?:who\s+(?:created|invented|made|designed|developed|wrote|built)|when\s+was|created|invented|history|origins?)\b/i.test(
      query,
    )
  ) {
    return 'origin';
  }
  return 'other';
}

function capitalise(text: string): string {
  return text.length === 0 ? text : text[0].toUpperCase() + text.slice(1);
}

function possessive(name: string): string {
  return name.endsWith('s') ? `${name}'` : `${name}'s`;
}

/** "a, b and c". */
export function joinList(items: readonly string[]): string {
  if (items.length <= 1) {
    return items.join('');
  }
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The canned answer about `topic` for a question of the given kind (undefined for 'other'). */
export function answerTopicAspect(
  topic: Topic,
  kind: TopicQuestionKind,
): string | undefined {
  switch (kind) {
    case 'advantages':
      return `${capitalise(possessive(topic.name))} main advantages are ${joinList(topic.advantages)}.`;
    case 'drawbacks':
      return `${capitalise(possessive(topic.name))} main drawbacks are ${joinList(topic.drawbacks)}.`;
    case 'uses':
      return `${capitalise(topic.name)} is mainly used for ${joinList(topic.uses)}.`;
    case 'origin':
      return topic.origin;
    case 'other':
      return undefined;
  }
}
