import { Injectable } from '@nestjs/common';
import { identityHeaders, type Principal } from '@shannon/auth';
import {
  CLIENT_ID_REGEX,
  CreateTaskDto,
  cutText,
  type ListEventsQuery,
  type ListTasksQuery,
  type TaskSubmittedResponse,
  TaskStatus,
  type Task,
  type TaskEvent,
  type TaskEventsResponse,
  type TaskListResponse,
  type TaskStatusResponse,
  type TaskControlResponse,
  type TaskControlStateResponse,
  type TaskStreamSubmittedResponse,
  type TaskTimelineResponse,
  type TimelineQuery,
} from '@shannon/contracts';
import { ErrorCode, NotFoundError, ValidationError } from '@shannon/errors';
import type { JsonObject } from '@bufbuild/protobuf';
import { InternalClients } from '../clients/internal-clients';
import { idempotentSessionId } from '../idempotency/idempotency-key';
import type { IdempotentRequest } from '../idempotency/idempotency-request.decorator';
import { SessionTurns } from '../sessions/session-turns';
import { SubmittedTasks } from './submitted-tasks';
import { buildTimeline } from './task-timeline.builder';
import { isJustFinished } from './task-status';
import { TaskPresenter } from './task.presenter';

const EVENTS_PAGE = 200;
/** Persisted events a timeline reads at most (token deltas are not persisted, so tasks have few). */
const TIMELINE_MAX_EVENTS = 5_000;

export interface Submission {
  response: TaskSubmittedResponse;
  /** True when the Idempotency-Key was seen before: the response is the first submit's. */
  replayed: boolean;
}

/** The REST side of tasks: resolves the session, calls the task service, shapes the answer. */
@Injectable()
export class TaskGatewayService {
  constructor(
    private readonly clients: InternalClients,
    private readonly turns: SessionTurns,
    private readonly submitted: SubmittedTasks,
  ) {}

  /**
   * A submit, as a turn of its session, with an optional Idempotency-Key made durable by the task
   * service: repeats (even concurrent ones) get the first task, and the turn each repeat reserved
   * is given back. A repeat without session_id names the same session, derived from the key, so
   * no stray sessions are created either.
   */
  async submit(principal: Principal, dto: CreateTaskDto, idempotency?: IdempotentRequest): Promise<Submission> {
    const headers = identityHeaders(principal);
    const request = { ...dto, session_id: dto.session_id ?? (idempotency ? idempotentSessionId(principal, idempotency.key) : undefined) };
    let replayed = false;
    // Created inside a turn of its session: the session is resolved or created and the concurrency policy applied first.
    const task = await this.turns.submit(principal, request, async ({ sessionId, taskId, turn }) => {
      const { task: created, idempotentReplay } = await this.clients.task.submitTask(
        {
          taskId,
          query: dto.query,
          sessionId,
          clientSessionId: dto.session_id ?? '',
          sessionTurn: turn,
          context: (dto.context ?? {}) as JsonObject,
          mode: dto.mode ?? '',
          modelTier: dto.model_tier ?? '',
          modelOverride: dto.model_override ?? '',
          providerOverride: dto.provider_override ?? '',
          maxIterations: dto.max_iterations ?? 0,
          maxConcurrentAgents: dto.max_concurrent_agents ?? 0,
          idempotencyKey: idempotency?.key ?? '',
          requestHash: idempotency?.requestHash ?? '',
        },
        { headers },
      );
      if (!created) {
        throw new Error('The task service accepted the task but returned none');
      }
      replayed = idempotentReplay;
      return created;
    });
    this.submitted.remember(principal.tenantId, task.taskId);
    return { response: TaskPresenter.submitted(task), replayed };
  }

  /** Submits like `submit` (durably idempotent too) and names the stream to follow (POST /api/v1/tasks/stream). */
  async submitForStream(
    principal: Principal,
    body: CreateTaskDto,
    idempotency?: IdempotentRequest,
  ): Promise<{ response: TaskStreamSubmittedResponse & { session_id: string }; replayed: boolean }> {
    const { response: submitted, replayed } = await this.submit(principal, body, idempotency);
    const streamUrl = `/api/v1/stream/sse?workflow_id=${encodeURIComponent(submitted.task_id)}`;
    return { response: { task_id: submitted.task_id, workflow_id: submitted.workflow_id, stream_url: streamUrl, session_id: submitted.session_id }, replayed };
  }

  async get(principal: Principal, taskId: string): Promise<TaskStatusResponse> {
    assertTaskId(taskId);
    return TaskPresenter.status(await this.findTask(taskId, identityHeaders(principal)));
  }

  async list(principal: Principal, query: ListTasksQuery): Promise<TaskListResponse> {
    const status = query.status ? TaskStatus[query.status as keyof typeof TaskStatus] : TaskStatus.UNSPECIFIED;
    // Tasks carry the session UUID: a client id is looked up first; a session that is gone lists nothing.
    const sessionId = query.session_id ? await this.turns.sessionUuid(principal, query.session_id) : '';
    if (sessionId === undefined) {
      return { tasks: [], total_count: 0 };
    }
    const { tasks, totalCount } = await this.clients.task.listTasks(
      { limit: query.limit ?? 20, offset: query.offset ?? 0, status, sessionId },
      { headers: identityHeaders(principal) },
    );
    return { tasks: tasks.map(TaskPresenter.listItem), total_count: totalCount };
  }

  async cancel(principal: Principal, taskId: string, reason: string): Promise<TaskControlResponse> {
    assertTaskId(taskId);
    await this.clients.task.cancelTask({ taskId, reason }, { headers: identityHeaders(principal) });
    return { success: true, message: 'Task cancelled successfully' };
  }

  async pause(principal: Principal, taskId: string, reason: string): Promise<TaskControlResponse> {
    assertTaskId(taskId);
    await this.clients.task.pauseTask({ taskId, reason }, { headers: identityHeaders(principal) });
    return { success: true, message: 'Pause signal sent', task_id: taskId };
  }

  async resume(principal: Principal, taskId: string, reason: string): Promise<TaskControlResponse> {
    assertTaskId(taskId);
    await this.clients.task.resumeTask({ taskId, reason }, { headers: identityHeaders(principal) });
    return { success: true, message: 'Resume signal sent', task_id: taskId };
  }

  async controlState(principal: Principal, taskId: string): Promise<TaskControlStateResponse> {
    assertTaskId(taskId);
    const { state } = await this.clients.task.getControlState({ taskId }, { headers: identityHeaders(principal) });
    return TaskPresenter.controlState(state);
  }

  /**
   * Persisted history; the task lookup first makes a foreign or unknown task a 404. It holds every
   * lasting event published before the read, and all of a task the lookup found just finished (ADR 0050).
   */
  async events(principal: Principal, taskId: string, query: ListEventsQuery): Promise<TaskEventsResponse> {
    assertTaskId(taskId);
    const headers = identityHeaders(principal);
    const task = await this.findTask(taskId, headers);
    const { events, count } = await this.clients.streaming.listEvents(
      { taskId, limit: query.limit ?? 50, offset: query.offset ?? 0, taskFinished: isJustFinished(task, new Date()) },
      { headers },
    );
    return { events: events.map(TaskPresenter.event), count };
  }

  /** The task's lifecycle from its record and its persisted events. */
  async timeline(principal: Principal, taskId: string, query: TimelineQuery): Promise<TaskTimelineResponse> {
    assertTaskId(taskId);
    const headers = identityHeaders(principal);
    const task = await this.findTask(taskId, headers);
    const events: TaskEvent[] = [];
    const taskFinished = isJustFinished(task, new Date());
    for (let offset = 0; offset < TIMELINE_MAX_EVENTS; offset += EVENTS_PAGE) {
      const page = await this.clients.streaming.listEvents({ taskId, limit: EVENTS_PAGE, offset, taskFinished }, { headers });
      events.push(...page.events);
      if (page.events.length < EVENTS_PAGE) {
        break;
      }
    }
    return buildTimeline(task, events, { mode: query.mode ?? 'summary', includePayloads: query.include_payloads ?? false, now: new Date() });
  }

  /** The task of the caller's tenant; 404 when unknown or another tenant's. */
  private async findTask(taskId: string, headers: Record<string, string>): Promise<Task> {
    const { task } = await this.clients.task.getTask({ taskId }, { headers });
    if (!task) {
      throw new NotFoundError(ErrorCode.TaskNotFound, 'Task not found');
    }
    return task;
  }
}

/** Cancel, pause, resume and their state (API.md "Tasks"); the task service owns the rules. */
export function controlReason(body: unknown): string {
  const reason = body && typeof body === 'object' ? (body as Record<string, unknown>)['reason'] : undefined;
  return typeof reason === 'string' ? cutText(reason, 500) : '';
}

function assertTaskId(taskId: string): void {
  if (!CLIENT_ID_REGEX.test(taskId)) {
    throw new ValidationError('Invalid task ID format');
  }
}
