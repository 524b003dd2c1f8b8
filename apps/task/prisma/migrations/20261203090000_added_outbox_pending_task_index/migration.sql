-- The relay marks the rows it published by task (one statement per batch of submits).
CREATE INDEX "outbox_pending_task_idx" ON "task"."outbox"("task_id") WHERE "published_at" IS NULL;
