import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';

/** How many tasks one gateway process remembers (about 150 bytes each). */
const REMEMBERED_TASKS = 50_000;

/**
 * The newest tasks this gateway process submitted, per tenant. A client that streams the task it
 * has just submitted (the usual order: POST, then GET .../stream) needs no lookup to show the task
 * exists and is its tenant's: the submit showed it. Tasks are never deleted, so a remembered task
 * stays valid; a task submitted through another replica is looked up as before.
 */
@Injectable()
export class SubmittedTasks {
  private readonly tasks = new LRUCache<string, true>({ max: REMEMBERED_TASKS });

  remember(tenantId: string, taskId: string): void {
    this.tasks.set(`${tenantId}/${taskId}`, true);
  }

  submittedFor(tenantId: string, taskId: string): boolean {
    return this.tasks.has(`${tenantId}/${taskId}`);
  }
}
