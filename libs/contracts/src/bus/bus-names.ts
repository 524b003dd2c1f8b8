import { EPHEMERAL_EVENT_TYPES, type EventType, LIFECYCLE_EVENT_TYPES } from '../events/event-types';

/**
 * The last tokens of an event's subject, by what its readers need (ADR 0045): the event log
 * follows `lasting.>`, the session service `lasting.lifecycle` only.
 */
const EVENT_CLASSES = { lifecycle: 'lasting.lifecycle', progress: 'lasting.progress', ephemeral: 'ephemeral' } as const;

function eventClass(type: string): string {
  if (EPHEMERAL_EVENT_TYPES.has(type as EventType)) {
    return EVENT_CLASSES.ephemeral;
  }
  return LIFECYCLE_EVENT_TYPES.has(type as EventType) ? EVENT_CLASSES.lifecycle : EVENT_CLASSES.progress;
}

/**
 * Stream, subject and consumer names of the NATS JetStream bus. A namespace prefix keeps
 * parallel test runs (and several stacks on one server) apart; production uses none.
 */
export class BusNames {
  constructor(private readonly namespace = '') {}

  /** Work-queue stream: one message per task to run. */
  get tasksStream(): string {
    return this.stream('TASKS');
  }

  /** Limits stream: every event of every task. */
  get eventsStream(): string {
    return this.stream('EVENTS');
  }

  get taskWorkSubject(): string {
    return this.subject('tasks.v1.work');
  }

  /**
   * Subject one event is published on: events.<tenant>.<task_id>.<class>, the class being
   * `ephemeral` (token deltas, prompts), `lasting.lifecycle` (start and end) or `lasting.progress`.
   */
  taskEventSubject(tenantId: string, taskId: string, type: string): string {
    return this.taskClassSubject(tenantId, taskId, eventClass(type));
  }

  /** Every event of one task (a filter): events.<tenant>.<task_id>.>. */
  taskEventsSubject(tenantId: string, taskId: string): string {
    return this.subject(`events.${tenantId}.${taskId}.>`);
  }

  /**
   * The subjects one task's lasting events are published on (no wildcard, so the server finds
   * the last message of each from its subject index): lifecycle first, then progress.
   */
  taskLastingSubjects(tenantId: string, taskId: string): [lifecycle: string, progress: string] {
    return [this.taskClassSubject(tenantId, taskId, EVENT_CLASSES.lifecycle), this.taskClassSubject(tenantId, taskId, EVENT_CLASSES.progress)];
  }

  /**
   * Every subject one task's events are published on, literal (ADR 0052: a look-up by the
   * task's wildcard makes the server go through every subject of the stream).
   */
  taskEventSubjects(tenantId: string, taskId: string): string[] {
    return [...this.taskLastingSubjects(tenantId, taskId), this.taskClassSubject(tenantId, taskId, EVENT_CLASSES.ephemeral)];
  }

  /** Core NATS (no stream) subject of one task's control signals: tasks.control.<task_id>. */
  taskControlSubject(taskId: string): string {
    return this.subject(`tasks.control.${taskId}`);
  }

  /** Every task's control signals; a worker subscribes once and picks the tasks it runs. */
  get allTaskControlSubject(): string {
    return this.subject('tasks.control.*');
  }

  get allEventsSubject(): string {
    return this.subject('events.>');
  }

  /** Every task's events the event log keeps (token deltas and prompts left out). */
  get lastingEventsSubject(): string {
    return this.subject('events.*.*.lasting.>');
  }

  /** Every task's start and end events: all a session's turns need. */
  get lifecycleEventsSubject(): string {
    return this.subject(`events.*.*.${EVENT_CLASSES.lifecycle}`);
  }

  get taskWorkersConsumer(): string {
    return this.consumer('task-workers');
  }

  get eventLogConsumer(): string {
    return this.consumer('streaming-event-log');
  }

  /** The session service's consumer of task events: records each turn's start and outcome. */
  get sessionTurnsConsumer(): string {
    return this.consumer('session-turns');
  }

  /** Dedupe id of an event: the server drops a second publish of the same task and seq. */
  static eventMessageId(taskId: string, seq: bigint | number): string {
    return `${taskId}:${seq}`;
  }

  private stream(name: string): string {
    return this.namespace ? `${this.namespace.toUpperCase()}_${name}` : name;
  }

  /** events.<tenant>.<task_id>.<class>. */
  private taskClassSubject(tenantId: string, taskId: string, eventClass: string): string {
    return this.subject(`events.${tenantId}.${taskId}.${eventClass}`);
  }

  private subject(name: string): string {
    return this.namespace ? `${this.namespace}.${name}` : name;
  }

  private consumer(name: string): string {
    return this.namespace ? `${this.namespace}-${name}` : name;
  }
}
