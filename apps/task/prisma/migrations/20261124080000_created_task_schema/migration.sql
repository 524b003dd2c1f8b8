-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "task";

-- CreateTable
CREATE TABLE "task"."tasks" (
    "id" TEXT NOT NULL,
    "tenant_id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "session_id" UUID NOT NULL,
    "query" TEXT NOT NULL,
    "mode" TEXT NOT NULL,
    "model_tier" TEXT NOT NULL,
    "context" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL,
    "result" TEXT,
    "error" TEXT,
    "model_used" TEXT,
    "provider" TEXT,
    "input_tokens" INTEGER NOT NULL DEFAULT 0,
    "output_tokens" INTEGER NOT NULL DEFAULT 0,
    "estimated_cost" DECIMAL(14,8) NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "started_at" TIMESTAMPTZ(3),
    "completed_at" TIMESTAMPTZ(3),

    CONSTRAINT "tasks_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "task"."outbox" (
    "id" BIGSERIAL NOT NULL,
    "task_id" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "msg_id" TEXT NOT NULL,
    "payload" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "tasks_tenant_id_user_id_created_at_idx" ON "task"."tasks"("tenant_id", "user_id", "created_at" DESC);

-- CreateIndex
CREATE INDEX "tasks_tenant_id_session_id_created_at_idx" ON "task"."tasks"("tenant_id", "session_id", "created_at" DESC);

-- CreateIndex
-- Edited by hand: only unpublished rows are indexed, so the relay scan stays small.
CREATE INDEX "outbox_unpublished_idx" ON "task"."outbox"("id") WHERE "published_at" IS NULL;

-- AddForeignKey
ALTER TABLE "task"."outbox" ADD CONSTRAINT "outbox_task_id_fkey" FOREIGN KEY ("task_id") REFERENCES "task"."tasks"("id") ON DELETE CASCADE ON UPDATE CASCADE;

