import { Injectable } from '@nestjs/common';
import { Prisma } from '../generated/prisma/client';
import { PrismaService } from '../prisma/prisma.service';

export interface PendingOutboxMessage {
  id: bigint;
  subject: string;
  msgId: string;
  payload: Uint8Array;
  headers: Record<string, string> | null;
}

@Injectable()
export class OutboxRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Locks a batch of unpublished messages stored at least `olderThanMs` ago (skipping rows another
   * relay holds), lets `publish` send them, and marks the ones it sent, all in one transaction.
   */
  async publishBatch(limit: number, olderThanMs: number, publish: (messages: PendingOutboxMessage[]) => Promise<bigint[]>): Promise<number> {
    return this.prisma.$transaction(async (tx) => {
      const pending = await tx.$queryRaw<PendingOutboxMessage[]>`
        SELECT id, subject, msg_id AS "msgId", payload, headers FROM task.outbox
        WHERE published_at IS NULL AND created_at < now() - make_interval(secs => ${olderThanMs / 1000})
        ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED`;
      if (pending.length === 0) {
        return 0;
      }
      const sent = await publish(pending);
      if (sent.length > 0) {
        await tx.outboxMessage.updateMany({ where: { id: { in: sent } }, data: { publishedAt: new Date() } });
      }
      return sent.length;
    }, { maxWait: 10_000, timeout: 30_000 });
  }

  /** Marks the work messages of these tasks published (one statement for all of them). */
  async markPublished(taskIds: string[]): Promise<void> {
    await this.prisma.pg.execute(Prisma.sql`UPDATE task.outbox SET published_at = now() WHERE task_id = ANY(${taskIds}::text[]) AND published_at IS NULL`);
  }
}
