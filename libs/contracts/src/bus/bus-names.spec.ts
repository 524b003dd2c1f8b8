import { EVENT_TYPES, isEventType } from '../events/event-types';
import { BusNames } from './bus-names';

describe(BusNames.name, () => {
  it('uses the plain names without a namespace', () => {
    const sut = new BusNames();
    expect([sut.tasksStream, sut.eventsStream, sut.taskWorkSubject, sut.taskWorkersConsumer]).toEqual(['TASKS', 'EVENTS', 'tasks.v1.work', 'task-workers']);
    expect(sut.taskEventsSubject('t1', 'task_1')).toBe('events.t1.task_1.>');
    expect(sut.allEventsSubject).toBe('events.>');
  });

  it('files each event under its class, so a consumer can take only what it needs', () => {
    const sut = new BusNames();
    expect(sut.taskEventSubject('t1', 'task_1', 'LLM_PARTIAL')).toBe('events.t1.task_1.ephemeral');
    expect(sut.taskEventSubject('t1', 'task_1', 'LLM_PROMPT')).toBe('events.t1.task_1.ephemeral');
    expect(['WORKFLOW_STARTED', 'WORKFLOW_COMPLETED', 'WORKFLOW_FAILED', 'WORKFLOW_CANCELLED', 'STREAM_END'].map((type) => sut.taskEventSubject('t1', 'task_1', type))).toEqual(
      Array(5).fill('events.t1.task_1.lasting.lifecycle'),
    );
    expect(['AGENT_STARTED', 'LLM_OUTPUT', 'WORKFLOW_PAUSED', 'WORKFLOW_CANCELLING'].map((type) => sut.taskEventSubject('t1', 'task_1', type))).toEqual(
      Array(4).fill('events.t1.task_1.lasting.progress'),
    );
    expect([sut.lastingEventsSubject, sut.lifecycleEventsSubject]).toEqual(['events.*.*.lasting.>', 'events.*.*.lasting.lifecycle']);
    expect(sut.taskLastingSubjects('t1', 'task_1')).toEqual([sut.taskEventSubject('t1', 'task_1', 'STREAM_END'), sut.taskEventSubject('t1', 'task_1', 'LLM_OUTPUT')]);
  });

  it("lists every subject of a task's events literally, whatever the event's type (look-ups by subject need no wildcard)", () => {
    const names = new BusNames('ns');
    const subjects = names.taskEventSubjects('t1', 'task_1');

    expect(subjects.filter((subject) => /[*>]/.test(subject))).toEqual([]);
    expect(new Set(EVENT_TYPES.map((type) => names.taskEventSubject('t1', 'task_1', type)))).toEqual(new Set(subjects));
  });

  it('prefixes every name with a namespace so runs stay apart', () => {
    const sut = new BusNames('e2e_1');
    expect([sut.tasksStream, sut.eventsStream, sut.taskWorkSubject, sut.eventLogConsumer]).toEqual([
      'E2E_1_TASKS',
      'E2E_1_EVENTS',
      'e2e_1.tasks.v1.work',
      'e2e_1-streaming-event-log',
    ]);
    expect(sut.sessionTurnsConsumer).toBe('e2e_1-session-turns');
    expect(sut.allEventsSubject).toBe('e2e_1.events.>');
    expect(sut.taskEventSubject('t1', 'task_1', 'STREAM_END')).toBe('e2e_1.events.t1.task_1.lasting.lifecycle');
    expect(sut.lifecycleEventsSubject).toBe('e2e_1.events.*.*.lasting.lifecycle');
  });

  it('names the core NATS control subjects of tasks', () => {
    expect(new BusNames().taskControlSubject('task_1')).toBe('tasks.control.task_1');
    expect(new BusNames('ns').allTaskControlSubject).toBe('ns.tasks.control.*');
  });

  it('names an event message by task and seq', () => {
    expect(BusNames.eventMessageId('task_1', 7n)).toBe('task_1:7');
  });

  it('knows the event types', () => {
    expect(isEventType('LLM_PARTIAL')).toBe(true);
    expect(isEventType('NOT_AN_EVENT')).toBe(false);
  });
});
